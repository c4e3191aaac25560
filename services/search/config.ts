import { z } from "zod";
import { logLevel, pageTokenFields, port, positiveInt, postgresUrl } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";
import { searchEngineFields } from "../shared/search-index/search-engine-config.js";

const schema = z.object({
  SEARCH_PORT: port(50052),
  SEARCH_ADMIN_PORT: port(9102),
  DATABASE_URL: postgresUrl,
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
});

export type SearchConfig = z.infer<typeof schema>;
export const loadSearchConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
