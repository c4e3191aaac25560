import { closeDatabase } from "../shared/db/database.js";
import type { Logger } from "../shared/logging/logger.js";
import { createSearchEngineClient } from "../shared/search-index/search-engine-client.js";
import { indexerDatabase, type IndexerConfig } from "./config.js";
import type { IndexerDeps } from "./indexer.js";
import type { IndexerMetrics } from "./indexer-metrics.js";

/** Connections and settings from the typed config, shared by the indexer and the reindex tool. */
export function indexerDeps(config: IndexerConfig, metrics: IndexerMetrics, logger: Logger): IndexerDeps & { close(): Promise<void> } {
  const db = indexerDatabase(config);
  const client = createSearchEngineClient({ url: config.SEARCH_URL });
  return {
    db,
    connectionString: config.DATABASE_URL,
    client,
    alias: config.SEARCH_INDEX_ALIAS,
    slot: config.INDEXER_SLOT,
    publication: config.INDEXER_PUBLICATION,
    batch: { maxKeys: config.INDEXER_BATCH_MAX_KEYS, maxWaitMs: config.INDEXER_BATCH_MAX_WAIT_MS },
    index: { replicas: config.SEARCH_INDEX_REPLICAS, refreshInterval: config.SEARCH_INDEX_REFRESH_INTERVAL },
    metrics,
    logger,
    async close() {
      await client.close();
      await closeDatabase(db);
    },
  };
}
