import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "../logging/logger.js";
import { STRICT_JSON } from "../rpc/strict-json.js";
import { SHUTDOWN_GRACE_MS } from "./shutdown-grace.js";
import { unimplementedFallback } from "./unimplemented-fallback.js";

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
 * An internal service: gRPC (and Connect, gRPC-Web) over cleartext HTTP/2, as a service mesh
 * terminates TLS at the sidecar or the cluster network is trusted.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningServer> {
  const handler = connectNodeAdapter({
    routes: (router) => options.routes.forEach((register) => register(router)),
    interceptors: options.interceptors,
    jsonOptions: STRICT_JSON,
    fallback: unimplementedFallback,
  });
  const server = http2.createServer({}, handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, `${options.name} listening (gRPC, Connect, gRPC-Web over h2c)`);

  return {
    port,
    async close(graceMs = SHUTDOWN_GRACE_MS) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // GOAWAY: clients open no new streams here, streams in flight run to completion.
      for (const session of sessions) session.close();
      const deadline = setTimeout(() => {
        for (const session of sessions) session.destroy();
      }, graceMs);
      deadline.unref();
      await closed;
      clearTimeout(deadline);
    },
  };
}
