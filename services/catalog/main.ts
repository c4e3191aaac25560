import { Redis } from "ioredis";
import { authSettings } from "../shared/auth/auth-settings.js";
import { createTokenVerifier } from "../shared/auth/token-verifier.js";
import { RedisCache } from "../shared/cache/redis-cache.js";
import { closeDatabase } from "../shared/db/database.js";
import { createRedisQuorumHoldReader } from "../shared/holds/redis-quorum-hold-reader.js";
import { tracedHoldReader } from "../shared/holds/traced-ticket-holds.js";
import { closeRedisClients, createRedisClients } from "../shared/redis/redis-clients.js";
import { redisNodesProbe } from "../shared/redis/redis-probe.js";
import { createMetrics } from "../shared/metrics/metrics.js";
import { runMain } from "../shared/server/run-main.js";
import { startService } from "../shared/server/start-service.js";
import { RedisTicketStatusBus } from "../shared/ticket-events/redis-ticket-status-bus.js";
import { catalogService } from "./catalog-service.js";
import { catalogDatabase, loadCatalogConfig } from "./config.js";

runMain("catalog", async (logger) => {
  const config = loadCatalogConfig();
  const db = catalogDatabase(config);
  const lockNodes = createRedisClients(config.REDIS_LOCK_URLS);
  const [shared] = createRedisClients([config.REDIS_URL]) as [Redis];
  // A connection in subscribe mode can do nothing else; it queues while reconnecting and
  // re-subscribes by itself, so watchers survive a Redis restart.
  const subscriber = new Redis(config.REDIS_URL, { lazyConnect: false });
  subscriber.on("error", (error: Error) => logger.warn({ err: error.message }, "seat-status bus: Redis connection failed; reconnecting"));
  const metrics = createMetrics("catalog");
  const definition = catalogService({
    db,
    holds: tracedHoldReader(createRedisQuorumHoldReader(lockNodes), lockNodes.length),
    cache: new RedisCache(shared),
    ticketStatusBus: new RedisTicketStatusBus(shared, subscriber),
    verifyToken: createTokenVerifier(authSettings(config)),
    settings: {
      eventCacheTtlMs: config.CATALOG_EVENT_CACHE_TTL_SECONDS * 1_000,
      watchPollIntervalMs: config.CATALOG_WATCH_POLL_MS,
      watchHoldScanIntervalMs: config.CATALOG_WATCH_HOLD_SCAN_MS,
      watchResyncIntervalMs: config.CATALOG_WATCH_RESYNC_SECONDS * 1_000,
      stadiumViewMaxAgeMs: config.CATALOG_STADIUM_VIEW_MAX_AGE_MS,
    },
    probes: [redisNodesProbe(lockNodes, false)],
    metricsRegistry: metrics.registry,
  });
  const service = await startService(definition, { port: config.CATALOG_PORT, adminPort: config.CATALOG_ADMIN_PORT }, logger, metrics);
  return {
    async close() {
      // GOAWAY first so watchers reconnect elsewhere, then end their streams so the drain completes.
      const closing = service.close();
      definition.endStreams();
      await closing;
      await Promise.all([closeDatabase(db), closeRedisClients([...lockNodes, shared, subscriber])]);
    },
  };
});
