import { Redis } from "ioredis";
import { loadAdmissionSigningKey } from "../shared/admission/admission-keys.js";
import { authSettings } from "../shared/auth/auth-settings.js";
import { createTokenVerifier } from "../shared/auth/token-verifier.js";
import { closeDatabase } from "../shared/db/database.js";
import { databaseProbe } from "../shared/db/database-probe.js";
import { createRedisQuorumHoldReader } from "../shared/holds/redis-quorum-hold-reader.js";
import { createMetrics } from "../shared/metrics/metrics.js";
import { closeRedisClients, createRedisClients } from "../shared/redis/redis-clients.js";
import { runMain } from "../shared/server/run-main.js";
import { startService } from "../shared/server/start-service.js";
import { createPostgresEventFacts } from "./adapters/postgres/postgres-event-facts.js";
import { queueRedisProbe } from "./adapters/redis/queue-redis-probe.js";
import { createRedisQueueStore } from "./adapters/redis/redis-queue-store.js";
import { loadQueueConfig, queueDatabase, queueSettings } from "./config.js";
import { queueMetrics } from "./queue-metrics.js";
import { queueService } from "./queue-service.js";

runMain("queue", async (logger) => {
  const config = loadQueueConfig();
  const signingKey = await loadAdmissionSigningKey(config.QUEUE_SIGNING_JWK, config.QUEUE_PREVIOUS_JWKS);
  const db = queueDatabase(config);
  const lockNodes = createRedisClients(config.REDIS_LOCK_URLS);
  const redis = new Redis(config.QUEUE_REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 1_000 });
  redis.on("error", () => undefined);
  const metrics = createMetrics("queue");
  const queue = queueService({
    store: createRedisQueueStore(redis),
    events: createPostgresEventFacts(db, createRedisQuorumHoldReader(lockNodes)),
    signingKey,
    verifyToken: createTokenVerifier(authSettings(config)),
    settings: queueSettings(config),
    logger,
    probes: [queueRedisProbe(redis), databaseProbe(db)],
    observe: queueMetrics(metrics.registry),
  });
  const service = await startService(queue.definition, { port: config.QUEUE_PORT, adminPort: config.QUEUE_ADMIN_PORT }, logger, metrics);
  const stopWorker = queue.startWorker();
  return {
    async close() {
      stopWorker();
      const closing = service.close();
      queue.endStreams();
      await closing;
      await Promise.all([closeDatabase(db), closeRedisClients([...lockNodes, redis])]);
    },
  };
});
