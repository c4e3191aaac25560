import { z } from "zod";
import { logLevel, port, positiveInt, postgresUrl } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { checkSessionTimeouts, poolFromConfig, sessionTimeoutFields } from "../shared/db/postgres-pool.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";
import { SEARCH_PUBLICATION } from "../shared/db/migrations/006-search-publication.migration.js";
import { searchEngineFields } from "../shared/search-index/search-engine-config.js";

const schema = z.object({
  /** A role with REPLICATION (for the slot); the publication comes with the migrations. */
  DATABASE_URL: postgresUrl,
  /**
   * statement_timeout and lock_timeout of the indexer's pool (batch reads, a rebuild's pages).
   * Longer than a service's: a rebuild reads pages of a large catalogue; the replication stream
   * is its own connection, not bounded (it runs for the life of the process).
   */
  ...sessionTimeoutFields("INDEXER", { statementMs: 30_000, lockMs: 5_000 }),
  ...searchEngineFields,
  SEARCH_URL: z.string().url(),
  INDEXER_ADMIN_PORT: port(9104),
  /** One slot per indexed database; it keeps every change until the indexer confirms it. */
  INDEXER_SLOT: z
    .string()
    .regex(/^[a-z0-9_]{1,48}$/, "must be 1-48 characters of a-z, 0-9 and _")
    .default("boxoffice_search_indexer"),
  INDEXER_PUBLICATION: z.string().min(1).default(SEARCH_PUBLICATION),
  INDEXER_BATCH_MAX_KEYS: positiveInt(500),
  INDEXER_BATCH_MAX_WAIT_MS: positiveInt(50),
  /** Replicas of a new index: 0 on a one-node cluster, 1 or more in production. */
  SEARCH_INDEX_REPLICAS: z.coerce.number().int().min(0).max(5).default(0),
  /** How soon a written change becomes searchable; shorter costs the engine more merges. */
  SEARCH_INDEX_REFRESH_INTERVAL: z.string().regex(/^\d+(ms|s)$/, "must be a duration like 1s or 500ms").default("1s"),
  LOG_LEVEL: logLevel,
  ...tracingFields,
}).superRefine(checkSessionTimeouts("INDEXER"));

export type IndexerConfig = z.infer<typeof schema>;

/** The indexer's PostgreSQL pool, every session bounded by INDEXER_DB_STATEMENT_TIMEOUT_MS and INDEXER_DB_LOCK_TIMEOUT_MS (opened lazily). */
export const indexerDatabase = (config: IndexerConfig) => poolFromConfig("INDEXER", config, "boxoffice-indexer", { min: 0, max: 4 });
export const loadIndexerConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
