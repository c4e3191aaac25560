import * as grpc from "@grpc/grpc-js";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import type { Logger } from "../logging/logger.js";
import { collectServices, grpcServiceDefinition } from "../rpc/grpc-js/grpc-js-service-host.js";
import { GRPC_MESSAGE_LIMIT_BYTES } from "../rpc/grpc-js/grpc-limits.js";
import { addServerReflection } from "../rpc/grpc-js/server-reflection.js";
import { SHUTDOWN_GRACE_MS } from "./shutdown-grace.js";

export interface GrpcServerOptions {
  name: string;
  host?: string;
  port: number;
  routes: Array<(router: ConnectRouter) => void>;
  interceptors: Interceptor[];
  logger: Logger;
}

export interface RunningServer {
  /** The bound port (useful when asked for port 0). */
  port: number;
  /** Stops accepting, lets in-flight calls finish for up to graceMs, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/**
 * An internal service: gRPC over cleartext HTTP/2 (a mesh terminates TLS at the sidecar, or
 * the cluster network is trusted), served by @grpc/grpc-js, which costs about a third of
 * connect-node's CPU per unary call here (docs/performance.md). The handlers and interceptors
 * are the connect-es ones every other transport runs. Browsers' protocols (Connect, gRPC-Web)
 * are the edge's business; a request that is not gRPC gets 415, an unknown method UNIMPLEMENTED.
 * Server reflection lists and describes the hosted services for grpcurl and its kind.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": GRPC_MESSAGE_LIMIT_BYTES,
    "grpc.max_send_message_length": GRPC_MESSAGE_LIMIT_BYTES,
    // Idle mesh connections are kept: the edge holds one per service for the life of both.
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.keepalive_time_ms": 30_000,
  });
  const specs = collectServices(options.routes);
  for (const spec of specs) {
    const { definition, handlers } = grpcServiceDefinition(spec, options.interceptors);
    server.addService(definition, handlers);
  }
  addServerReflection(server, specs.map((spec) => spec.service));
  const host = options.host ?? "0.0.0.0";
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host.includes(":") ? `[${host}]` : host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  options.logger.info({ port }, `${options.name} listening (gRPC over h2c, grpc-js)`);

  return {
    port,
    async close(graceMs = SHUTDOWN_GRACE_MS) {
      // GOAWAY: clients open no new calls here, calls in flight run to completion within the grace.
      const drained = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      // Past the grace, every call still open is cancelled: its handler's signal aborts.
      const deadline = setTimeout(() => server.forceShutdown(), graceMs);
      deadline.unref();
      await drained;
      clearTimeout(deadline);
    },
  };
}
