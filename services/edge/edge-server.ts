import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import fastifyCors from "@fastify/cors";
import fastifyHelmet from "@fastify/helmet";
import { Code, ConnectError, createClient, createConnectRouter, type ConnectRouter } from "@connectrpc/connect";
import { fastify, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { Counter, Gauge, type Registry } from "prom-client";
import type { DescMethod } from "@bufbuild/protobuf";
import { resolve } from "node:path";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/health/v1/health_pb.js";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import type { TokenVerifier } from "../shared/auth/token-verifier.js";
import type { Logger } from "../shared/logging/logger.js";
import { HealthRegistry } from "../shared/health/health-registry.js";
import { healthRoutes } from "../shared/health/health-routes.js";
import { monitorDependencies, type DependencyProbe } from "../shared/health/dependency-monitor.js";
import { createMetrics } from "../shared/metrics/metrics.js";
import { domainErrorInterceptor, observeInterceptor, validationInterceptor } from "../shared/rpc/interceptors.js";
import { STRICT_JSON } from "../shared/rpc/strict-json.js";
import { SHUTDOWN_GRACE_MS } from "../shared/server/shutdown-grace.js";
import { forwardingRoutes } from "./connect-forwarding.js";
import { framedServerStream } from "./streams/framed-server-stream.js";
import { createGate } from "./gate/edge-gate.js";
import { registerRateLimits, type RateLimitSettings } from "./gate/rate-limits.js";
import { createStreamCaps, type StreamCapSettings } from "./gate/stream-caps.js";
import { refusalContextValues, refusalInterceptor } from "./gate/refusal-interceptor.js";
import { REQUEST_ID_HEADER, requestIdOf, stampRequestId } from "./gate/request-id.js";
import type { InternalClients, InternalTransports } from "./internal-clients.js";
import { devAuthRoutes } from "./rest/auth-routes.js";
import { adminRestRoutes } from "./rest/admin-routes.js";
import { bookingRestRoutes } from "./rest/booking-routes.js";
import { queueRestRoutes } from "./rest/queue-routes.js";
import { eventsRestRoutes } from "./rest/events-routes.js";
import { stadiumRestRoutes } from "./rest/stadium-routes.js";
import { STADIUM_VIEW_METHODS } from "./stadium-cache-policy.js";
import { cacheableConnectGets } from "./http-caching.js";
import { createFastifyErrorHandler } from "./rest/fastify-errors.js";
import { sendConnectRouteError, sendError } from "./rest/http-errors.js";
import { ERROR_DETAILS_HEADER } from "./relayed-error.js";
import { notFoundHandler, registerWebApp } from "./web-app.js";
import { apiReferenceRoutes } from "./api-reference.js";
import { stripeWebhookRoute } from "./webhooks/stripe-webhook-route.js";
import { paymentsConfigRoute, type CheckoutSettings } from "./rest/payments-config-route.js";
import { describeRequestSpan } from "../shared/tracing/http-request-span.js";

export interface EdgeOptions {
  clients: InternalClients;
  transports: InternalTransports;
  logger: Logger;
  upstreamTimeoutMs: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Checks bearer tokens at the door (dev HS256 or the identity provider's JWKS). */
  verifyToken: TokenVerifier;
  rateLimits: RateLimitSettings;
  streamCaps: StreamCapSettings;
  /** Fastify's trustProxy: whom to believe about the client's address (X-Forwarded-For). */
  trustProxy?: boolean | number | string;
  /** Present in AUTH_MODE=dev: mints tokens at POST /auth/token. */
  issueDevToken?: ((userId: string, roles: readonly string[]) => Promise<string>) | undefined;
  /** Built web app to serve at / (relative to the working directory); web/dist unless given. */
  webRoot?: string;
  /** Set: POST /webhooks/stripe takes Stripe's signed events and relays them to booking. */
  stripeWebhookSecret?: string | undefined;
  /** What GET /payments/config tells the web app: its own test-card form, or Stripe.js with this publishable key. Simulated unless given. */
  checkout?: CheckoutSettings;
  /** A live stream whose write has not drained for this long is dropped (STREAM_STALL_MS unless given). */
  streamStallMs?: number;
}

/**
 * A live stream whose last write has sat undrained this long has a client that stopped reading:
 * it is dropped, freeing its connection, its place under the caps and what its socket holds. A
 * slower reader is paced, and sent a snapshot when it falls too far behind.
 */
const STREAM_STALL_MS = 30_000;

/** A route as fastify registered it: `GET /bookings/:bookingId`. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

export interface Edge {
  app: FastifyInstance;
  health: HealthRegistry;
  /** Served on the admin port (startAdminServer), never on the public one. */
  metrics: Registry;
  /** The routes behind the gate (REST and Connect), which the OpenAPI description must match. */
  apiRoutes: readonly RegisteredRoute[];
  /**
   * Stops accepting, lets calls in flight finish for up to graceMs, then ends what is still open
   * (live seat-map streams never end by themselves) and cuts the remaining connections.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * The longest Connect-Timeout-Ms the edge takes (the protocol allows ten digits): Node's timers
 * hold at most 2^31-1 ms, and a longer deadline would fire at once, failing the call with
 * deadline_exceeded. A longer one is refused as invalid instead.
 */
const MAX_CONNECT_TIMEOUT_MS = 2_147_483_647;

/** The only door from the internet: Connect and gRPC-Web for browsers, the seed's REST paths, the web app. */
export async function createEdge(options: EdgeOptions): Promise<Edge> {
  const metrics = createMetrics("edge");
  const liveStreamsDropped = new Counter({
    name: "boxoffice_edge_live_streams_dropped_total",
    help: "Live streams the edge dropped because their client stopped reading.",
    registers: [metrics.registry],
  });
  const health = new HealthRegistry([CatalogService.typeName, SearchService.typeName, BookingService.typeName]);
  const monitor = monitorDependencies(health, upstreamProbes(options.transports), options.logger);
  await monitor.checkNow();

  const app = fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // One line per request (below) instead of fastify's two: at an on-sale's rate the log
    // writes were a tenth of the edge's CPU.
    disableRequestLogging: true,
    bodyLimit: options.bodyLimitBytes,
    genReqId: requestIdOf,
    trustProxy: trustedProxies(options.trustProxy),
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.info({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, "request completed");
  });
  app.setErrorHandler(createFastifyErrorHandler(options.bodyLimitBytes));
  app.addHook("onRequest", async (request, reply) => {
    stampRequestId(request.raw, request.id);
    reply.header(REQUEST_ID_HEADER, request.id);
    describeRequestSpan(request.method, request.routeOptions.url, request.id);
  });
  // Closing, the server waits for every connection to end, and a keep-alive connection would
  // only end at its idle timeout: answers now say Connection: close, and a connection whose
  // answer was streamed (headers long sent) is closed as soon as it falls idle.
  let closing = false;
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });
  app.addHook("onResponse", async () => {
    if (closing) setImmediate(() => app.server.closeIdleConnections());
  });
  // Stripe mode loads Stripe.js, which draws the card fields in its own frames and talks to
  // Stripe's API: its documented CSP sources, and only then (docs/payments.md, "The web checkout").
  const stripe = options.checkout?.provider === "stripe";
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        "script-src": ["'self'", ...(stripe ? ["https://js.stripe.com", "https://*.js.stripe.com"] : [])],
        "connect-src": ["'self'", ...(stripe ? ["https://api.stripe.com"] : [])],
        ...(stripe ? { "frame-src": ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"], "img-src": ["'self'", "data:", "https://*.stripe.com"] } : {}),
        // TLS ends at the ingress, which owns the https policy; on plain http (npm start opened
        // from a phone on the LAN) this directive would send the app's own scripts to https.
        "upgrade-insecure-requests": null,
      },
    },
  });
  await app.register(fastifyCors, {
    origin: options.corsOrigins.length > 0 ? options.corsOrigins : false,
    exposedHeaders: ["grpc-status", "grpc-message", REQUEST_ID_HEADER, "retry-after", ERROR_DETAILS_HEADER],
    maxAge: 600,
  });

  // Aborted at the shutdown deadline: every Connect call still open ends with UNAVAILABLE, which
  // tells a browser to reconnect (to another replica) rather than give up.
  const shutdown = new AbortController();
  // Made once: the routes are registered on several routers, but one relay serves every watch.
  const forwarding = forwardingRoutes(options.clients, options.upstreamTimeoutMs);
  const routes = (router: ConnectRouter) => {
    forwarding.routes(router);
    healthRoutes(health)(router);
  };
  const gate = createGate({
    verifyToken: options.verifyToken,
    limits: await registerRateLimits(app, options.rateLimits),
    streams: createStreamCaps(options.streamCaps),
    bodyLimitBytes: options.bodyLimitBytes,
    isConnectRoute: connectPaths(routes),
    isStreamRoute: connectPaths(routes, "server_streaming"),
    sendRefusal: (reply, refusal, onConnectRoute) =>
      onConnectRoute && refusal.httpStatus !== undefined
        ? sendConnectRouteError(reply, refusal.error, refusal.httpStatus)
        : sendError(reply, refusal.error, refusal.httpStatus),
  });
  // Everything behind the gate is the API; the probe, the API's description and the web app's
  // files stay outside.
  const apiRoutes: RegisteredRoute[] = [];
  await app.register(async (api) => {
    api.addHook("onRoute", (route) => {
      for (const method of [route.method].flat()) apiRoutes.push({ method, url: route.url });
    });
    const interceptors = [
      observeInterceptor(options.logger, metrics),
      refusalInterceptor(),
      domainErrorInterceptor(),
      validationInterceptor(),
    ];
    const contextValues = refusalContextValues(gate);
    // Live seat maps: binary streams (what browsers open) are served below connect-es, each
    // message framed once for every stream; the rest of the route stays the Connect plugin's.
    const watchStream = framedServerStream({
      method: CatalogService.method.watchEventTickets,
      impl: forwarding.watchEventTickets,
      interceptors,
      contextValues,
      jsonOptions: STRICT_JSON,
      readMaxBytes: options.bodyLimitBytes,
      maxTimeoutMs: MAX_CONNECT_TIMEOUT_MS,
      shutdownSignal: shutdown.signal,
      stallMs: options.streamStallMs ?? STREAM_STALL_MS,
      onDropped: () => liveStreamsDropped.inc(),
    });
    new Gauge({
      name: "boxoffice_edge_live_streams",
      help: "Binary WatchEventTickets streams open on the edge.",
      registers: [metrics.registry],
      collect() {
        this.set(watchStream.open());
      },
    });
    api.addHook("onRoute", (route) => {
      if (route.url !== watchStream.path) return;
      const connectHandler = route.handler;
      route.handler = function (request, reply) {
        return watchStream.accepts(request) ? watchStream.serve(request, reply) : connectHandler.call(this, request, reply);
      };
    });
    api.addHook("onRequest", gate.check);
    // The GET form of SearchEvents and the stadium view with ETag and 304, which the plugin cannot add.
    const cacheableMethods = [SearchService.method.searchEvents, ...STADIUM_VIEW_METHODS];
    api.addHook("onRequest", cacheableConnectGets({ routes, interceptors, contextValues, methods: cacheableMethods, maxTimeoutMs: MAX_CONNECT_TIMEOUT_MS }));
    await api.register(fastifyConnectPlugin, {
      routes,
      interceptors,
      contextValues,
      jsonOptions: STRICT_JSON,
      maxTimeoutMs: MAX_CONNECT_TIMEOUT_MS,
      // The plugin reads Connect bodies itself, past fastify's bodyLimit: the same cap here (the
      // gate answers 413 first when the declared length is over it; a chunked body meets this).
      readMaxBytes: options.bodyLimitBytes,
      shutdownSignal: shutdown.signal,
    });
    await api.register(eventsRestRoutes(options.clients, options.upstreamTimeoutMs));
    await api.register(stadiumRestRoutes(options.clients, options.upstreamTimeoutMs));
    await api.register(bookingRestRoutes(options.clients, options.upstreamTimeoutMs));
    await api.register(adminRestRoutes(options.clients, options.upstreamTimeoutMs));
    await api.register(queueRestRoutes(options.clients, options.upstreamTimeoutMs));
    if (options.issueDevToken) await api.register(devAuthRoutes(options.issueDevToken));
    await api.register(paymentsConfigRoute(options.checkout ?? { provider: "simulated" }));
  });

  app.get("/healthz", async (_request, reply) => reply.send({ status: health.status("") }));
  // Beside the API, not behind its gate: Stripe carries no bearer token, it signs each event.
  if (options.stripeWebhookSecret) {
    await app.register(stripeWebhookRoute({ secret: options.stripeWebhookSecret, paymentEvents: options.clients.paymentEvents, timeoutMs: options.upstreamTimeoutMs }));
  }
  await app.register(apiReferenceRoutes);
  const webAppServed = await registerWebApp(app, resolve(options.webRoot ?? "web/dist"));
  app.setNotFoundHandler(notFoundHandler(webAppServed));

  return {
    app,
    health,
    metrics: metrics.registry,
    apiRoutes,
    async close(graceMs = SHUTDOWN_GRACE_MS) {
      monitor.stop();
      health.setAll("NOT_SERVING");
      closing = true;
      const closed = app.close();
      const deadline = setTimeout(() => {
        shutdown.abort(new ConnectError("the edge is shutting down: retry", Code.Unavailable));
        // What the abort did not end (a REST call stuck past its deadline) must not keep the
        // process alive; the moment's wait lets the ended streams flush their last frame.
        setTimeout(() => app.server.closeAllConnections(), 500).unref();
      }, graceMs);
      deadline.unref();
      try {
        await closed;
      } finally {
        clearTimeout(deadline);
      }
    },
  };
}

/** A hop count becomes proxy-addr's per-hop test; booleans and address lists pass as they are. */
function trustedProxies(trust: boolean | number | string | undefined) {
  return typeof trust === "number" ? (_address: string, hop: number) => hop < trust : (trust ?? false);
}

/** The request paths of the Connect routes (of one kind of method, if given), so the gate knows which refusals Connect words, and which calls are streams. */
function connectPaths(routes: (router: ConnectRouter) => void, kind?: DescMethod["methodKind"]): (routeUrl: string | undefined) => boolean {
  const router = createConnectRouter();
  routes(router);
  const paths = new Set(router.handlers.filter((handler) => kind === undefined || handler.method.methodKind === kind).map((handler) => handler.requestPath));
  return (routeUrl) => routeUrl !== undefined && paths.has(routeUrl);
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
