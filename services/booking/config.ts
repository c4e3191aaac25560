import { z } from "zod";
import { authFields, logLevel, pageTokenFields, port, positiveInt, postgresUrl, redisUrlList } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { checkSessionTimeouts, poolFromConfig, sessionTimeoutFields } from "../shared/db/postgres-pool.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";
import { admissionVerifyFields } from "../shared/admission/admission-fields.js";
import { checkPaymentFields, paymentFields } from "./payment-config.js";

type DeadlineFields = Record<"BOOKING_CONFIRM_DEADLINE_MS" | "BOOKING_RECOVERY_GRACE_SECONDS" | "BOOKING_PAYMENT_TIMEOUT_MS" | "BOOKING_DB_STATEMENT_TIMEOUT_MS", number>;

/** Recovery settles payments untouched for its grace: a confirm still running by then would be settled under it. */
function checkDeadlines(config: DeadlineFields, context: z.RefinementCtx) {
  if (config.BOOKING_CONFIRM_DEADLINE_MS >= config.BOOKING_RECOVERY_GRACE_SECONDS * 1000) {
    context.addIssue({ code: "custom", path: ["BOOKING_CONFIRM_DEADLINE_MS"], message: "must be shorter than BOOKING_RECOVERY_GRACE_SECONDS" });
  }
  for (const step of ["BOOKING_PAYMENT_TIMEOUT_MS", "BOOKING_DB_STATEMENT_TIMEOUT_MS"] as const) {
    if (config[step] >= config.BOOKING_CONFIRM_DEADLINE_MS) context.addIssue({ code: "custom", path: [step], message: "must be shorter than BOOKING_CONFIRM_DEADLINE_MS" });
  }
}

const schema = z.object({
  BOOKING_PORT: port(50053),
  BOOKING_ADMIN_PORT: port(9103),
  DATABASE_URL: postgresUrl,
  /** The independent Redis masters Redlock holds seats on (three or more). */
  REDIS_LOCK_URLS: redisUrlList,
  /** Pub/sub for live seat maps; the first lock node when unset. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  BOOKING_HOLD_TTL_SECONDS: positiveInt(600),
  BOOKING_MAX_TICKETS_PER_ORDER: positiveInt(8),
  BOOKING_IDEMPOTENCY_WAIT_MS: positiveInt(10_000),
  /** How long reserve remembers an event's sale window and status (never past the window's next edge); 0: not at all. */
  BOOKING_RESERVE_EVENT_MEMORY_MS: z.coerce.number().int().min(0).default(1_000),
  /** Payments untouched this long are finished by the recovery worker; longer than any confirm. */
  BOOKING_RECOVERY_GRACE_SECONDS: positiveInt(120),
  BOOKING_RECOVERY_INTERVAL_SECONDS: positiveInt(15),
  /** Recovery's attempts to capture a booked payment before it is dead-lettered for an operator. */
  BOOKING_CAPTURE_MAX_ATTEMPTS: positiveInt(20),
  /** How long one confirm may run, start to commit; must be shorter than the recovery grace. */
  BOOKING_CONFIRM_DEADLINE_MS: positiveInt(30_000),
  /** Each payment-provider call (authorize, capture, void, refund, lookup) unanswered after this fails like an unreachable provider. */
  BOOKING_PAYMENT_TIMEOUT_MS: positiveInt(10_000),
  /**
   * PostgreSQL statement_timeout and lock_timeout of booking's sessions (the booking path, the
   * recovery worker and the refund worker share the pool): a statement running longer is
   * cancelled, a lock waited on longer fails it; either way its transaction rolls back.
   */
  ...sessionTimeoutFields("BOOKING"),
  /** How long a caller waits for the lock nodes; a slower call degrades that caller but is no failure for the breaker. */
  BOOKING_LOCK_TIMEOUT_MS: positiveInt(1_500),
  BOOKING_LOCK_BREAKER_RESET_MS: positiveInt(5_000),
  ...paymentFields,
  LOG_LEVEL: logLevel,
  ...tracingFields,
  ...authFields,
  ...pageTokenFields,
  /** The waiting room's public keys: high-demand events need an admission they sign. */
  ...admissionVerifyFields,
}).superRefine(checkPaymentFields).superRefine(checkDeadlines).superRefine(checkSessionTimeouts("BOOKING"));

export type BookingConfig = z.infer<typeof schema>;

/** The booking's PostgreSQL pool, every session bounded by BOOKING_DB_STATEMENT_TIMEOUT_MS and BOOKING_DB_LOCK_TIMEOUT_MS (opened lazily). */
export const bookingDatabase = (config: BookingConfig) => poolFromConfig("BOOKING", config, "boxoffice-booking");
export const loadBookingConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);

export function bookingSettings(config: BookingConfig) {
  return {
    holdTtlMs: config.BOOKING_HOLD_TTL_SECONDS * 1000,
    maxTicketsPerOrder: config.BOOKING_MAX_TICKETS_PER_ORDER,
    idempotencyWaitMs: config.BOOKING_IDEMPOTENCY_WAIT_MS,
    reserveEventMemoryMs: config.BOOKING_RESERVE_EVENT_MEMORY_MS,
    confirmDeadlineMs: config.BOOKING_CONFIRM_DEADLINE_MS,
    paymentTimeoutMs: config.BOOKING_PAYMENT_TIMEOUT_MS,
  };
}
