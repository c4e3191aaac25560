import { z } from "zod";
import { jwkListJson, privateJwkJson } from "../shared/admission/admission-fields.js";
import { authFields, logLevel, port, positiveInt, postgresUrl, redisUrlList } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { checkSessionTimeouts, poolFromConfig, sessionTimeoutFields } from "../shared/db/postgres-pool.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";

const schema = z.object({
  QUEUE_PORT: port(50054),
  /** /metrics, /healthz, /readyz and the admission keys' /.well-known/jwks.json. */
  QUEUE_ADMIN_PORT: port(9106),
  /** The queue's own Redis primary (not a lock node): every place lives there. */
  QUEUE_REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL"),
  /** The event's sale facts and unsold tickets. */
  DATABASE_URL: postgresUrl,
  /** statement_timeout and lock_timeout of the queue's PostgreSQL sessions. */
  ...sessionTimeoutFields("QUEUE"),
  /** The lock nodes, read for the tickets held now (admission waits while every unsold ticket is held). */
  REDIS_LOCK_URLS: redisUrlList,
  /** The ES256 private JWK admissions are signed with. */
  QUEUE_SIGNING_JWK: privateJwkJson,
  /** Public JWKs of keys rotated out, still published until their tokens have expired. */
  QUEUE_PREVIOUS_JWKS: jwkListJson.optional(),
  /** How long an admission lets its buyer reserve and then confirm (the hold's 10 minutes fit in it). */
  QUEUE_ADMISSION_TTL_SECONDS: positiveInt(900),
  QUEUE_ADMIT_INTERVAL_MS: positiveInt(1_000),
  QUEUE_WATCH_POLL_MS: positiveInt(1_000),
  LOG_LEVEL: logLevel,
  ...tracingFields,
  ...authFields,
}).superRefine(checkSessionTimeouts("QUEUE"));

export type QueueConfig = z.infer<typeof schema>;

/** The queue's PostgreSQL pool, every session bounded by QUEUE_DB_STATEMENT_TIMEOUT_MS and QUEUE_DB_LOCK_TIMEOUT_MS (opened lazily). */
export const queueDatabase = (config: QueueConfig) => poolFromConfig("QUEUE", config, "boxoffice-queue");
export const loadQueueConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);

export function queueSettings(config: QueueConfig) {
  return {
    admissionTtlMs: config.QUEUE_ADMISSION_TTL_SECONDS * 1000,
    admitIntervalMs: config.QUEUE_ADMIT_INTERVAL_MS,
    watchPollMs: config.QUEUE_WATCH_POLL_MS,
  };
}
