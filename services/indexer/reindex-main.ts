import { createMetrics } from "../shared/metrics/metrics.js";
import { createLogger } from "../shared/logging/logger.js";
import { ConfigError } from "../shared/config/load-config.js";
import { slotState } from "./cdc/replication-slot.js";
import { loadIndexerConfig } from "./config.js";
import { rebuildIndex } from "./index-rebuild.js";
import { rebuildDepsOf, temporarySlotSnapshot } from "./indexer.js";
import { indexerDeps } from "./indexer-deps.js";
import { createIndexerMetrics } from "./indexer-metrics.js";

// `npm run reindex`: a new index from a database snapshot, then the alias swapped to it in one
// step. Searches keep reading the old index meanwhile; the running indexer writes every change
// after the snapshot into the new index too.
const logger = createLogger("reindex");
try {
  const config = loadIndexerConfig();
  const deps = indexerDeps(config, createIndexerMetrics(createMetrics("reindex").registry), logger);
  try {
    if ((await slotState(deps.db, deps.slot)) !== "ready") {
      logger.warn({ slot: deps.slot }, "no indexer slot: the new index will not follow later changes until the indexer runs (and rebuilds)");
    }
    const report = await rebuildIndex(rebuildDepsOf(deps), temporarySlotSnapshot(deps.connectionString, deps.slot));
    console.log(
      `reindexed ${report.documents} events into ${report.index} in ${report.seconds.toFixed(1)} s; ` +
        `alias ${deps.alias} moved${report.replaced.length > 0 ? ` from ${report.replaced.join(", ")}` : ""}`,
    );
  } finally {
    await deps.close();
  }
} catch (error) {
  if (error instanceof ConfigError) console.error(`reindex: ${error.message}`);
  else logger.fatal({ err: error }, "reindex failed");
  process.exitCode = 1;
}
