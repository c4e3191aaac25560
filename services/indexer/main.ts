import { databaseProbe } from "../shared/db/database-probe.js";
import { monitorDependencies } from "../shared/health/dependency-monitor.js";
import { HealthRegistry } from "../shared/health/health-registry.js";
import { startAdminServer } from "../shared/metrics/admin-server.js";
import { createMetrics } from "../shared/metrics/metrics.js";
import { runMain } from "../shared/server/run-main.js";
import { searchEngineProbe } from "../shared/search-index/search-engine-client.js";
import { loadIndexerConfig } from "./config.js";
import { createIndexer } from "./indexer.js";
import { indexerDeps } from "./indexer-deps.js";
import { createIndexerMetrics } from "./indexer-metrics.js";

runMain("indexer", async (logger) => {
  const config = loadIndexerConfig();
  const metrics = createMetrics("indexer");
  const deps = indexerDeps(config, createIndexerMetrics(metrics.registry), logger);
  const indexer = createIndexer(deps);
  // Ready only while the stream is followed; alive (and scraped) already while a first build runs.
  const health = new HealthRegistry([]);
  const monitor = monitorDependencies(
    health,
    [
      databaseProbe(deps.db),
      searchEngineProbe(deps.client, true),
      {
        name: "change-stream",
        critical: true,
        check: async () => {
          if (!indexer.streaming) throw new Error("not following the change stream");
        },
      },
    ],
    logger,
  );
  const admin = await startAdminServer(config.INDEXER_ADMIN_PORT, metrics.registry, health);
  logger.info({ adminPort: admin.port, slot: config.INDEXER_SLOT, alias: config.SEARCH_INDEX_ALIAS }, "indexer starting");
  await indexer.start();
  return {
    async close() {
      monitor.stop();
      health.setAll("NOT_SERVING");
      await indexer.stop();
      await admin.close();
      await deps.close();
    },
  };
});
