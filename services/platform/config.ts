import { z } from "zod";
import { authFields, logLevel, pageTokenFields, port, positiveInt } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";
import { edgeHttpFields } from "../edge/config.js";

const schema = z.object({
  PORT: port(8080),
  /** The edge's /metrics, /healthz and /readyz, on this machine only (127.0.0.1). */
  ADMIN_PORT: port(9100),
  /** Where the edge listens: this machine only unless told otherwise (HOST=0.0.0.0 opens it to the network). */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** The internal services listen on loopback only; 0 picks free ports. */
  CATALOG_PORT: port(50051),
  SEARCH_PORT: port(50052),
  BOOKING_PORT: port(50053),
  QUEUE_PORT: port(50054),
  /** Where PGlite keeps its files; "memory" keeps nothing between runs. */
  BOXOFFICE_DATA_DIR: z.string().min(1).default(".data/pglite"),
  DEMO_EVENTS: positiveInt(300),
  BOOKING_HOLD_TTL_SECONDS: positiveInt(600),
  BOOKING_MAX_TICKETS_PER_ORDER: positiveInt(8),
  /** How long a waiting room's admission lets its buyer reserve and confirm. */
  QUEUE_ADMISSION_TTL_SECONDS: positiveInt(900),
  /** Buyers a minute each demo high-demand event's waiting room admits. */
  QUEUE_DEMO_RATE_PER_MINUTE: positiveInt(120),
  /** The edge's timeouts, CORS, body and rate limits, web root; its rate counters stay in process. */
  ...edgeHttpFields,
  LOG_LEVEL: logLevel,
  ...tracingFields,
  ...authFields,
  ...pageTokenFields,
});

export type PlatformConfig = z.infer<typeof schema>;
export const loadPlatformConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
