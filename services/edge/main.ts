import { authSettings } from "../shared/auth/auth-settings.js";
import { createDevTokenIssuer } from "../shared/auth/dev-token-issuer.js";
import { createTokenVerifier } from "../shared/auth/token-verifier.js";
import { closeRedisClients, createRedisClients } from "../shared/redis/redis-clients.js";
import { startAdminServer } from "../shared/metrics/admin-server.js";
import { runMain } from "../shared/server/run-main.js";
import { checkoutSettings, loadEdgeConfig } from "./config.js";
import { createEdge } from "./edge-server.js";
import { grpcTransports, internalClients } from "./internal-clients.js";

runMain("edge", async (logger) => {
  const config = loadEdgeConfig();
  const transports = grpcTransports({
    catalog: config.CATALOG_SERVICE_ADDR,
    search: config.SEARCH_SERVICE_ADDR,
    booking: config.BOOKING_SERVICE_ADDR,
    queue: config.QUEUE_SERVICE_ADDR,
  });
  const auth = authSettings(config);
  const redis = config.REDIS_URL ? createRedisClients([config.REDIS_URL]) : [];
  const edge = await createEdge({
    clients: internalClients(transports),
    transports,
    logger,
    upstreamTimeoutMs: config.EDGE_UPSTREAM_TIMEOUT_MS,
    corsOrigins: config.EDGE_CORS_ORIGINS,
    bodyLimitBytes: config.EDGE_BODY_LIMIT_BYTES,
    verifyToken: createTokenVerifier(auth),
    rateLimits: { perIp: config.EDGE_RATE_LIMIT_PER_IP, perUser: config.EDGE_RATE_LIMIT_PER_USER, windowMs: config.EDGE_RATE_LIMIT_WINDOW_MS, redis: redis[0] },
    streamCaps: { perIp: config.EDGE_STREAMS_PER_IP, perUser: config.EDGE_STREAMS_PER_USER },
    trustProxy: config.EDGE_TRUST_PROXY,
    webRoot: config.EDGE_WEB_ROOT,
    stripeWebhookSecret: config.STRIPE_WEBHOOK_SECRET,
    checkout: checkoutSettings(config),
    issueDevToken: config.AUTH_MODE === "dev" ? createDevTokenIssuer(auth) : undefined,
  });
  await edge.app.listen({ port: config.PORT, host: "0.0.0.0" });
  const admin = await startAdminServer(config.EDGE_ADMIN_PORT, edge.metrics, edge.health);
  return {
    async close() {
      await edge.close();
      await admin.close();
      await closeRedisClients(redis);
    },
  };
});
