import { z } from "zod";
import { authFields, logLevel, port, positiveInt, postgresUrl, redisUrlList } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";

const schema = z.object({
  BOOKING_PORT: port(50053),
  BOOKING_ADMIN_PORT: port(9103),
  DATABASE_URL: postgresUrl,
  REDIS_LOCK_URLS: redisUrlList,
  BOOKING_HOLD_TTL_SECONDS: positiveInt(600),
  BOOKING_MAX_TICKETS_PER_ORDER: positiveInt(8),
  LOG_LEVEL: logLevel,
  ...authFields,
});

export type BookingConfig = z.infer<typeof schema>;
export const loadBookingConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
