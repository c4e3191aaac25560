import { createTokenVerifier } from "../shared/auth/token-verifier.js";
import { closeDatabase, createDatabase } from "../shared/db/database.js";
import { createRedisQuorumHoldReader } from "../shared/holds/redis-quorum-hold-reader.js";
import { closeRedisClients, createRedisClients } from "../shared/redis/redis-clients.js";
import { redisNodesProbe } from "../shared/redis/redis-probe.js";
import { runMain } from "../shared/server/run-main.js";
import { startService } from "../shared/server/start-service.js";
import { authSettings } from "../shared/auth/auth-settings.js";
import { catalogService } from "./catalog-service.js";
import { loadCatalogConfig } from "./config.js";

runMain("catalog", async (logger) => {
  const config = loadCatalogConfig();
  const db = createDatabase({ kind: "postgres", url: config.DATABASE_URL });
  const lockNodes = createRedisClients(config.REDIS_LOCK_URLS);
  const service = await startService(
    catalogService({
      db,
      holds: createRedisQuorumHoldReader(lockNodes),
      verifyToken: createTokenVerifier(authSettings(config)),
      probes: [redisNodesProbe(lockNodes, false)],
    }),
    { port: config.CATALOG_PORT, adminPort: config.CATALOG_ADMIN_PORT },
    logger,
  );
  return {
    async close() {
      await service.close();
      await Promise.all([closeDatabase(db), closeRedisClients(lockNodes)]);
    },
  };
});
