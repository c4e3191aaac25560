import { z } from "zod";
import { authFields, logLevel, port, positiveInt, postgresUrl, redisUrlList } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { checkSessionTimeouts, poolFromConfig, sessionTimeoutFields } from "../shared/db/postgres-pool.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";

const schema = z
  .object({
    CATALOG_PORT: port(50051),
    CATALOG_ADMIN_PORT: port(9101),
    DATABASE_URL: postgresUrl,
    /** statement_timeout and lock_timeout of the catalog's PostgreSQL sessions. */
    ...sessionTimeoutFields("CATALOG"),
    REDIS_LOCK_URLS: redisUrlList,
    /** Cache and pub/sub; the lock nodes stay for locks. Defaults to the first lock node. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
    /** How long an event's static part may be served from cache; updates invalidate it at once. */
    CATALOG_EVENT_CACHE_TTL_SECONDS: positiveInt(300),
    /** How often watched events re-read their holds, to notice holds that expired. */
    CATALOG_WATCH_POLL_MS: positiveInt(1_000),
    /** How often watched events ask about every unbooked ticket's hold, finding one whose message was lost. */
    CATALOG_WATCH_HOLD_SCAN_MS: positiveInt(5_000),
    /** How often watched events re-read bookings too, repairing a lost bus message. */
    CATALOG_WATCH_RESYNC_SECONDS: positiveInt(30),
    /** How old a stadium view (layout, availability bits) may be when served; each is rebuilt at most this often per event. */
    CATALOG_STADIUM_VIEW_MAX_AGE_MS: positiveInt(1_000),
    LOG_LEVEL: logLevel,
    ...tracingFields,
    ...authFields,
  })
  .superRefine(checkSessionTimeouts("CATALOG"))
  .transform((config) => ({ ...config, REDIS_URL: config.REDIS_URL ?? config.REDIS_LOCK_URLS[0]! }));

export type CatalogConfig = z.infer<typeof schema>;

/** The catalog's PostgreSQL pool, every session bounded by CATALOG_DB_STATEMENT_TIMEOUT_MS and CATALOG_DB_LOCK_TIMEOUT_MS (opened lazily). */
export const catalogDatabase = (config: CatalogConfig) => poolFromConfig("CATALOG", config, "boxoffice-catalog");
export const loadCatalogConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
