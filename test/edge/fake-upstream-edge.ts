import { createServer, type Http2Server, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { ConnectRouter, Interceptor, ServiceImpl } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { pino } from "pino";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/health/v1/health_pb.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier, type AuthSettings, type TokenVerifier } from "../../services/shared/auth/token-verifier.js";
import { createEdge, type Edge, type EdgeOptions } from "../../services/edge/edge-server.js";
import { grpcTransports, internalClients } from "../../services/edge/internal-clients.js";

export const DEV_AUTH: AuthSettings = { mode: "dev", devSecret: "edge-test-secret-0123456789", issuer: "boxoffice-dev", audience: "boxoffice" };
export const devToken = (userId: string, roles: string[] = ["buyer"]) => createDevTokenIssuer(DEV_AUTH)(userId, roles);

export interface Fakes {
  catalog?: Partial<ServiceImpl<typeof CatalogService>>;
  search?: Partial<ServiceImpl<typeof SearchService>>;
  booking?: Partial<ServiceImpl<typeof BookingService>>;
  queue?: Partial<ServiceImpl<typeof QueueService>>;
  /** Server-side interceptors of the fake services, e.g. the real auth interceptor. */
  interceptors?: Interceptor[];
}

/** One call as the fake services received it. */
export interface UpstreamCall {
  method: string;
  headers: Headers;
  timeoutMs: number | undefined;
}

export interface EdgeUnderTest {
  base: string;
  edge: Edge;
  calls: UpstreamCall[];
  callsTo(method: string): UpstreamCall[];
  /** The edge's log records, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The real edge (createEdge, real gRPC transports with their interceptors) in front of fake
 * catalog, search and booking services served over gRPC on a free port.
 */
export async function startEdgeWithFakes(fakes: Fakes, overrides: Partial<EdgeOptions> & { verifyToken?: TokenVerifier } = {}): Promise<EdgeUnderTest> {
  const calls: UpstreamCall[] = [];
  const record: Interceptor = (next) => async (request) => {
    calls.push({ method: request.method.name, headers: new Headers(request.header), timeoutMs: timeoutOf(request.header) });
    return next(request);
  };
  const routes = (router: ConnectRouter) => {
    router.service(CatalogService, fakes.catalog ?? {});
    router.service(SearchService, fakes.search ?? {});
    router.service(BookingService, fakes.booking ?? {});
    router.service(QueueService, fakes.queue ?? {});
    router.service(Health, { check: () => ({ status: HealthCheckResponse_ServingStatus.SERVING }) });
  };
  const server: Http2Server = createServer(connectNodeAdapter({ routes, interceptors: [record, ...(fakes.interceptors ?? [])] }));
  // The edge keeps its HTTP/2 connections open; closing them lets the server stop at the end.
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const transports = grpcTransports({ catalog: address, search: address, booking: address, queue: address });
  const edge = await createEdge({
    clients: internalClients(transports),
    transports,
    logger,
    upstreamTimeoutMs: 5_000,
    corsOrigins: [],
    bodyLimitBytes: 16 * 1024,
    verifyToken: createTokenVerifier(DEV_AUTH),
    rateLimits: { perIp: 1_000, perUser: 1_000, windowMs: 60_000 },
    streamCaps: { perIp: 1_000, perUser: 1_000 },
    issueDevToken: createDevTokenIssuer(DEV_AUTH),
    webRoot: "/nonexistent-web-root",
    ...overrides,
  });
  const listening = await edge.app.listen({ port: 0, host: "127.0.0.1" });
  return {
    base: listening,
    edge,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    logs,
    async close() {
      await edge.close();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** gRPC sends the deadline as grpc-timeout, e.g. "4999m". */
function timeoutOf(header: Headers): number | undefined {
  const match = /^(\d+)([HMSmun])$/.exec(header.get("grpc-timeout") ?? "");
  if (!match) return undefined;
  const unitMs = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000001 }[match[2] as "H"];
  return Number(match[1]) * unitMs;
}
