import { z } from "zod";
import { authFields, logLevel, port, positiveInt, serviceAddress, serviceTarget } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";
import { tracingFields } from "../shared/tracing/tracing-fields.js";
import type { CheckoutSettings } from "./rest/payments-config-route.js";

/**
 * STRIPE_PUBLISHABLE_KEY: set where booking runs PAYMENTS_PROVIDER=stripe. The web app then
 * collects cards with Stripe.js and sends a payment method id (GET /payments/config tells it
 * so); unset, it shows its own test-card form, which only the simulated provider takes.
 */
export const checkoutFields = {
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_\w+$/, "must be a Stripe publishable key (pk_test_…, pk_live_…)").optional(),
};

export function checkoutSettings(config: { STRIPE_PUBLISHABLE_KEY?: string | undefined }): CheckoutSettings {
  return config.STRIPE_PUBLISHABLE_KEY ? { provider: "stripe", publishableKey: config.STRIPE_PUBLISHABLE_KEY } : { provider: "simulated" };
}

/** The edge's HTTP behaviour; the embedded platform takes the same fields. */
export const edgeHttpFields = {
  /** Deadline for one forwarded call. */
  EDGE_UPSTREAM_TIMEOUT_MS: positiveInt(10_000),
  /** Comma-separated origins allowed to call from browsers; empty allows same-origin only. */
  EDGE_CORS_ORIGINS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean)),
  EDGE_BODY_LIMIT_BYTES: positiveInt(64 * 1024),
  /** Requests one client address may make per window, over REST and Connect together. */
  EDGE_RATE_LIMIT_PER_IP: positiveInt(600),
  /** Requests one signed-in user may make per window, from whatever addresses. */
  EDGE_RATE_LIMIT_PER_USER: positiveInt(300),
  EDGE_RATE_LIMIT_WINDOW_MS: positiveInt(60_000),
  /**
   * Live streams (seat maps) one client address may hold open at once, in this edge process. A
   * stream is one request to the rate limits however long it lasts: this caps what it holds.
   */
  EDGE_STREAMS_PER_IP: positiveInt(100),
  /** Live streams one signed-in user may hold open at once, in this edge process. */
  EDGE_STREAMS_PER_USER: positiveInt(10),
  /**
   * Behind an ingress or load balancer the client's address is in X-Forwarded-For: "true", a hop
   * count, or a comma-separated list of trusted proxy addresses/CIDRs. Unset trusts nobody, so a
   * client cannot choose its own rate-limit key.
   */
  EDGE_TRUST_PROXY: z
    .string()
    .optional()
    .transform((value): boolean | number | string => {
      if (value === undefined || value === "" || value === "false") return false;
      if (value === "true") return true;
      return /^\d+$/.test(value) ? Number(value) : value;
    }),
  /** The built web app (Vite's output); the edge serves it at / when the folder exists. */
  EDGE_WEB_ROOT: z.string().min(1).default("web/dist"),
};

const schema = z.object({
  PORT: port(8080),
  /** /metrics, /healthz and /readyz for Prometheus and operators: never the public port. */
  EDGE_ADMIN_PORT: port(9105),
  CATALOG_SERVICE_ADDR: serviceAddress.default("127.0.0.1:50051"),
  SEARCH_SERVICE_ADDR: serviceAddress.default("127.0.0.1:50052"),
  /**
   * Booking's replicas: host:port, or dns:///booking-headless:50053 (Kubernetes headless Service)
   * or 127.0.0.1:50053,127.0.0.1:50054 to spread calls over them (round_robin).
   */
  BOOKING_SERVICE_ADDR: serviceTarget.prefault("127.0.0.1:50053"),
  QUEUE_SERVICE_ADDR: serviceAddress.default("127.0.0.1:50054"),
  /** Rate-limit counters shared by every edge replica; unset keeps them in process. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  /** The Stripe webhook endpoint's signing secret; set, the edge serves POST /webhooks/stripe. */
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, "must be a webhook signing secret (whsec_…)").optional(),
  ...checkoutFields,
  ...edgeHttpFields,
  LOG_LEVEL: logLevel,
  ...tracingFields,
  ...authFields,
});

export type EdgeConfig = z.infer<typeof schema>;
export const loadEdgeConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
