import { z } from "zod";
import { authFields, logLevel, pageTokenFields, port, positiveInt, postgresUrl, redisUrlList } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";
import { admissionVerifyFields } from "../shared/admission/admission-fields.js";

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
  /** Lock calls slower than this count as failures for the circuit breaker. */
  BOOKING_LOCK_TIMEOUT_MS: positiveInt(1_500),
  BOOKING_LOCK_BREAKER_RESET_MS: positiveInt(5_000),
  PAYMENTS_PROVIDER: z.enum(["simulated"]).default("simulated"),
  PAYMENTS_SIMULATED_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: logLevel,
  ...tracingFields,
  ...authFields,
  ...pageTokenFields,
  /** The waiting room's public keys: high-demand events need an admission they sign. */
  ...admissionVerifyFields,
});

export type BookingConfig = z.infer<typeof schema>;
export const loadBookingConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);

export function bookingSettings(config: BookingConfig) {
  return {
    holdTtlMs: config.BOOKING_HOLD_TTL_SECONDS * 1000,
    maxTicketsPerOrder: config.BOOKING_MAX_TICKETS_PER_ORDER,
    idempotencyWaitMs: config.BOOKING_IDEMPOTENCY_WAIT_MS,
    reserveEventMemoryMs: config.BOOKING_RESERVE_EVENT_MEMORY_MS,
  };
}
