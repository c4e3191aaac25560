import { z } from "zod";
import { authFields, logLevel, pageTokenFields, port, positiveInt } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";
import { checkoutFields, edgeHttpFields } from "../edge/config.js";
import { checkPaymentFields, paymentFields } from "../booking/payment-config.js";

/** The embedded platform's recovery grace (embedded-platform.ts): Stripe mode is checked against it. */
export const PLATFORM_RECOVERY_GRACE_SECONDS = 120;

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
  /**
   * The simulator by default. PAYMENTS_PROVIDER=stripe with Stripe test keys (or stripe-mock)
   * runs the Stripe checkout locally: booking on the Stripe adapter, the web app on Stripe.js.
   */
  ...paymentFields,
  ...checkoutFields,
}).superRefine((config, context) => {
  checkPaymentFields({ ...config, BOOKING_RECOVERY_GRACE_SECONDS: PLATFORM_RECOVERY_GRACE_SECONDS }, context);
  // One process holds both ends: the web app's form must be the one booking's provider takes.
  if (config.PAYMENTS_PROVIDER === "stripe" && !config.STRIPE_PUBLISHABLE_KEY) {
    context.addIssue({ code: "custom", path: ["STRIPE_PUBLISHABLE_KEY"], message: "required with PAYMENTS_PROVIDER=stripe: the web app collects cards with Stripe.js" });
  }
  if (config.PAYMENTS_PROVIDER !== "stripe" && config.STRIPE_PUBLISHABLE_KEY) {
    context.addIssue({ code: "custom", path: ["STRIPE_PUBLISHABLE_KEY"], message: "only with PAYMENTS_PROVIDER=stripe: the simulated provider refuses the payment method ids Stripe.js makes" });
  }
});

export type PlatformConfig = z.infer<typeof schema>;
export const loadPlatformConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
