import { z } from "zod";
import { logLevel, pageTokenFields, port, positiveInt, postgresUrl } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { checkSessionTimeouts, poolFromConfig, sessionTimeoutFields } from "../shared/db/postgres-pool.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";
import { searchEngineFields } from "../shared/search-index/search-engine-config.js";

const schema = z.object({
  SEARCH_PORT: port(50052),
  SEARCH_ADMIN_PORT: port(9102),
  DATABASE_URL: postgresUrl,
  /** statement_timeout and lock_timeout of search's PostgreSQL sessions (its full-text search, alone or as the fallback). */
  ...sessionTimeoutFields("SEARCH"),
  ...searchEngineFields,
  /** Hot-query cache shared by every replica; without it each process keeps its own LRU. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  SEARCH_CACHE_TTL_SECONDS: positiveInt(30),
  /** A search-engine answer slower than this is replaced by PostgreSQL's. */
  SEARCH_ENGINE_TIMEOUT_MS: positiveInt(1_000),
  SEARCH_BREAKER_RESET_MS: positiveInt(10_000),
  ...pageTokenFields,
  LOG_LEVEL: logLevel,
  ...tracingFields,
}).superRefine(checkSessionTimeouts("SEARCH"));

export type SearchConfig = z.infer<typeof schema>;

/** The search's PostgreSQL pool, every session bounded by SEARCH_DB_STATEMENT_TIMEOUT_MS and SEARCH_DB_LOCK_TIMEOUT_MS (opened lazily). */
export const searchDatabase = (config: SearchConfig) => poolFromConfig("SEARCH", config, "boxoffice-search");
export const loadSearchConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
