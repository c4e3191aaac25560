import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import fastifyCors from "@fastify/cors";
import fastifyHelmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import { createClient, type ConnectRouter } from "@connectrpc/connect";
import { fastify, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/health/v1/health_pb.js";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import type { Logger } from "../shared/logging/logger.js";
import { HealthRegistry } from "../shared/health/health-registry.js";
import { healthRoutes } from "../shared/health/health-routes.js";
import { monitorDependencies, type DependencyProbe } from "../shared/health/dependency-monitor.js";
import { createMetrics } from "../shared/metrics/metrics.js";
import { standardInterceptors } from "../shared/rpc/interceptors.js";
import { forwardingRoutes } from "./connect-forwarding.js";
import { landingPage } from "./landing-page.js";
import type { InternalClients, InternalTransports } from "./internal-clients.js";
import { devAuthRoutes } from "./rest/auth-routes.js";
import { bookingRestRoutes } from "./rest/booking-routes.js";
import { eventsRestRoutes } from "./rest/events-routes.js";

export interface EdgeOptions {
  clients: InternalClients;
  transports: InternalTransports;
  logger: Logger;
  upstreamTimeoutMs: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Present in AUTH_MODE=dev: mints tokens at POST /auth/token. */
  issueDevToken?: ((userId: string, roles: readonly string[]) => Promise<string>) | undefined;
  /** Built web app to serve at /, if any. */
  webRoot?: string;
}

export interface Edge {
  app: FastifyInstance;
  health: HealthRegistry;
  close(): Promise<void>;
}

/** The only door from the internet: Connect and gRPC-Web for browsers, the seed's REST paths, the web app. */
export async function createEdge(options: EdgeOptions): Promise<Edge> {
  const metrics = createMetrics("edge");
  const health = new HealthRegistry([CatalogService.typeName, SearchService.typeName, BookingService.typeName]);
  const monitor = monitorDependencies(health, upstreamProbes(options.transports), options.logger);
  await monitor.checkNow();

  const app = fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    requestIdHeader: "x-request-id",
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: { "script-src": ["'self'"], "connect-src": ["'self'"] } },
  });
  await app.register(fastifyCors, {
    origin: options.corsOrigins.length > 0 ? options.corsOrigins : false,
    exposedHeaders: ["grpc-status", "grpc-message", "x-request-id", "retry-after"],
  });
  await app.register(fastifyConnectPlugin, {
    routes: (router: ConnectRouter) => {
      forwardingRoutes(options.clients, options.upstreamTimeoutMs)(router);
      healthRoutes(health)(router);
    },
    interceptors: standardInterceptors(options.logger, metrics),
  });
  await app.register(eventsRestRoutes(options.clients, options.upstreamTimeoutMs));
  await app.register(bookingRestRoutes(options.clients, options.upstreamTimeoutMs));
  if (options.issueDevToken) await app.register(devAuthRoutes(options.issueDevToken));

  app.get("/healthz", async (_request, reply) => reply.send({ status: health.status("") }));
  app.get("/metrics", async (_request, reply) => reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics()));

  const webRoot = options.webRoot ?? resolve("web/dist");
  if (existsSync(webRoot)) await app.register(fastifyStatic, { root: webRoot });
  else await app.register(landingPage);

  return {
    app,
    health,
    async close() {
      monitor.stop();
      health.setAll("NOT_SERVING");
      await app.close();
    },
  };
}

/** The edge is up while catalog and search answer; booking down only fails booking calls. */
function upstreamProbes(transports: InternalTransports): DependencyProbe[] {
  const probe = (name: keyof InternalTransports, service: string, critical: boolean): DependencyProbe => {
    const client = createClient(Health, transports[name]);
    return {
      name,
      critical,
      async check() {
        const { status } = await client.check({ service }, { timeoutMs: 2_000 });
        if (status !== HealthCheckResponse_ServingStatus.SERVING) throw new Error(`${name} is ${HealthCheckResponse_ServingStatus[status]}`);
      },
    };
  };
  return [
    probe("catalog", CatalogService.typeName, true),
    probe("search", SearchService.typeName, true),
    probe("booking", BookingService.typeName, false),
  ];
}
