import type { Knex } from "knex";
import type { Registry } from "prom-client";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import type { Cache } from "../shared/cache/cache.js";
import { InMemoryCache } from "../shared/cache/in-memory-cache.js";
import { observedCache } from "../shared/cache/observed-cache.js";
import { databaseProbe } from "../shared/db/database-probe.js";
import type { DependencyProbe } from "../shared/health/dependency-monitor.js";
import type { ServiceDefinition } from "../shared/server/start-service.js";
import { createCachedSearchBackend, type SearchCacheSettings } from "./adapters/cache/cached-search-backend.js";
import { createFallbackSearchBackend, type FallbackSettings } from "./adapters/fallback/fallback-search-backend.js";
import { createPostgresFullTextSearch } from "./adapters/postgres/postgres-full-text-search.js";
import { createEventSearch, type SearchBackend } from "./domain/event-search.js";
import { searchRoutes } from "./routes.js";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "../shared/paging/page-tokens.js";
import { searchMetrics } from "./search-metrics.js";

export interface SearchAdapters {
  db: Knex;
  /** The search engine, when one is configured; PostgreSQL answers when it cannot. */
  engine?: { backend: SearchBackend; probe: DependencyProbe; fallback: FallbackSettings };
  /** Hot-query cache; an in-process LRU when none is given (the embedded default). */
  cache?: Cache;
  cacheSettings?: SearchCacheSettings;
  /** The process's Prometheus registry, for the answer, breaker and cache metrics. */
  metricsRegistry?: Registry;
  /** Seals page tokens (PAGE_TOKEN_SECRET); every replica needs the same one. */
  pageTokenSecret?: string;
}

export const DEFAULT_CACHE_SETTINGS: SearchCacheSettings = { ttlMs: 30_000, degradedTtlMs: 5_000 };

/**
 * SearchEvents over the search engine with PostgreSQL full text behind a circuit breaker, or
 * over PostgreSQL alone; hot queries from the cache either way.
 */
export function searchService(adapters: SearchAdapters): ServiceDefinition {
  const metrics = adapters.metricsRegistry ? searchMetrics(adapters.metricsRegistry) : undefined;
  const postgres = createPostgresFullTextSearch(adapters.db);
  const { engine } = adapters;
  const answering = engine
    ? createFallbackSearchBackend(engine.backend, postgres, engine.fallback, metrics?.breakerChanged)
    : postgres;
  const observed = metrics ? metrics.observe(answering) : answering;
  const cache = adapters.cache ?? new InMemoryCache();
  const backend = createCachedSearchBackend(
    observed,
    adapters.metricsRegistry ? observedCache(cache, "search", adapters.metricsRegistry) : cache,
    adapters.cacheSettings ?? DEFAULT_CACHE_SETTINGS,
  );
  const search = createEventSearch({ backend, pageTokens: createPageTokens(adapters.pageTokenSecret ?? DEV_PAGE_TOKEN_SECRET, "search") });
  return {
    name: "search",
    serviceNames: [SearchService.typeName],
    routes: searchRoutes({ search }),
    // Only PostgreSQL is critical: without the engine, search still answers from it.
    probes: [databaseProbe(adapters.db), ...(engine ? [engine.probe] : [])],
  };
}
