import type { Redis } from "ioredis";
import { InMemoryCache } from "../shared/cache/in-memory-cache.js";
import { RedisCache } from "../shared/cache/redis-cache.js";
import { closeDatabase } from "../shared/db/database.js";
import { createMetrics } from "../shared/metrics/metrics.js";
import { closeRedisClients, createRedisClients } from "../shared/redis/redis-clients.js";
import { runMain } from "../shared/server/run-main.js";
import { startService } from "../shared/server/start-service.js";
import { createSearchEngineClient, searchEngineProbe } from "../shared/search-index/search-engine-client.js";
import { createOpenSearchEventSearch } from "./adapters/opensearch/opensearch-event-search.js";
import { loadSearchConfig, searchDatabase } from "./config.js";
import { searchService } from "./search-service.js";

runMain("search", async (logger) => {
  const config = loadSearchConfig();
  const db = searchDatabase(config);
  // A request the breaker has given up on should not hold a socket any longer than that.
  const engineClient = config.SEARCH_URL ? createSearchEngineClient({ url: config.SEARCH_URL, requestTimeoutMs: config.SEARCH_ENGINE_TIMEOUT_MS }) : undefined;
  const redis: Redis[] = config.REDIS_URL ? createRedisClients([config.REDIS_URL]) : [];
  const metrics = createMetrics("search");
  const definition = searchService({
    db,
    engine: engineClient && {
      backend: createOpenSearchEventSearch(engineClient, config.SEARCH_INDEX_ALIAS),
      probe: searchEngineProbe(engineClient, false),
      fallback: { timeoutMs: config.SEARCH_ENGINE_TIMEOUT_MS, resetTimeoutMs: config.SEARCH_BREAKER_RESET_MS },
    },
    cache: redis[0] ? new RedisCache(redis[0], "boxoffice:") : new InMemoryCache(),
    cacheSettings: { ttlMs: config.SEARCH_CACHE_TTL_SECONDS * 1000, degradedTtlMs: Math.min(5_000, config.SEARCH_CACHE_TTL_SECONDS * 1000) },
    metricsRegistry: metrics.registry,
    pageTokenSecret: config.PAGE_TOKEN_SECRET,
  });
  const service = await startService(definition, { port: config.SEARCH_PORT, adminPort: config.SEARCH_ADMIN_PORT }, logger, metrics);
  logger.info(
    { engine: config.SEARCH_URL ? `${config.SEARCH_ENGINE} ${config.SEARCH_URL} alias ${config.SEARCH_INDEX_ALIAS}` : "postgres", cache: config.REDIS_URL ? "redis" : "in-process" },
    "search backends",
  );
  return {
    async close() {
      await service.close();
      await engineClient?.close();
      await closeRedisClients(redis);
      await closeDatabase(db);
    },
  };
});
