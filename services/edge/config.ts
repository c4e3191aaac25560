import { z } from "zod";
import { authFields, logLevel, port, positiveInt, serviceAddress } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";

const schema = z.object({
  PORT: port(8080),
  CATALOG_SERVICE_ADDR: serviceAddress.default("127.0.0.1:50051"),
  SEARCH_SERVICE_ADDR: serviceAddress.default("127.0.0.1:50052"),
  BOOKING_SERVICE_ADDR: serviceAddress.default("127.0.0.1:50053"),
  /** Deadline for one forwarded call. */
  EDGE_UPSTREAM_TIMEOUT_MS: positiveInt(10_000),
  /** Comma-separated origins allowed to call from browsers; empty allows same-origin only. */
  EDGE_CORS_ORIGINS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean)),
  EDGE_BODY_LIMIT_BYTES: positiveInt(64 * 1024),
  LOG_LEVEL: logLevel,
  ...authFields,
});

export type EdgeConfig = z.infer<typeof schema>;
export const loadEdgeConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
