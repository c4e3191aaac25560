import { authSettings } from "../shared/auth/auth-settings.js";
import { createTokenVerifier } from "../shared/auth/token-verifier.js";
import { closeDatabase, createDatabase } from "../shared/db/database.js";
import { closeRedisClients, createRedisClients } from "../shared/redis/redis-clients.js";
import { redisNodesProbe } from "../shared/redis/redis-probe.js";
import { runMain } from "../shared/server/run-main.js";
import { startService } from "../shared/server/start-service.js";
import { bookingService } from "./booking-service.js";
import { loadBookingConfig } from "./config.js";

runMain("booking", async (logger) => {
  const config = loadBookingConfig();
  const db = createDatabase({ kind: "postgres", url: config.DATABASE_URL });
  const lockNodes = createRedisClients(config.REDIS_LOCK_URLS);
  const service = await startService(
    bookingService({
      db,
      verifyToken: createTokenVerifier(authSettings(config)),
      // Not critical: without a lock quorum booking degrades to direct database sales.
      probes: [redisNodesProbe(lockNodes, false)],
    }),
    { port: config.BOOKING_PORT, adminPort: config.BOOKING_ADMIN_PORT },
    logger,
  );
  return {
    async close() {
      await service.close();
      await Promise.all([closeDatabase(db), closeRedisClients(lockNodes)]);
    },
  };
});
