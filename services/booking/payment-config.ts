import { z } from "zod";
import type { StripeSettings } from "./adapters/payments/stripe-client.js";
import type { PaymentMeans } from "./domain/payment-means.js";

/** Stripe's search index trails writes by up to about a minute; recovery's lookup waits it out. */
export const STRIPE_MIN_RECOVERY_GRACE_SECONDS = 60;

/** The payment provider's settings; the Stripe ones are required, and checked, only in Stripe mode. */
export const paymentFields = {
  PAYMENTS_PROVIDER: z.enum(["simulated", "stripe"]).default("simulated"),
  PAYMENTS_SIMULATED_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, "must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)").optional(),
  /** The webhook endpoint's signing secret: booking verifies relayed events itself. */
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, "must be a webhook signing secret (whsec_…)").optional(),
  /** Unset: Stripe itself. stripe-mock in CI: http://127.0.0.1:12111. */
  STRIPE_API_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://127.0.0.1:12111" }).optional(),
  /** Per attempt; with the retries, well inside a confirm's deadline and the recovery grace. */
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(8_000),
  STRIPE_MAX_NETWORK_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
};

const paymentObject = z.object(paymentFields);
type PaymentEnv = z.infer<typeof paymentObject> & { BOOKING_RECOVERY_GRACE_SECONDS: number };

/** Stripe mode needs its key and webhook secret, and a recovery grace its search index can keep up with. */
export function checkPaymentFields(env: PaymentEnv, context: z.RefinementCtx): void {
  if (env.PAYMENTS_PROVIDER !== "stripe") return;
  const problems: Array<[keyof PaymentEnv, string]> = [];
  if (!env.STRIPE_SECRET_KEY) problems.push(["STRIPE_SECRET_KEY", "required with PAYMENTS_PROVIDER=stripe"]);
  if (!env.STRIPE_WEBHOOK_SECRET) problems.push(["STRIPE_WEBHOOK_SECRET", "required with PAYMENTS_PROVIDER=stripe"]);
  if (env.BOOKING_RECOVERY_GRACE_SECONDS < STRIPE_MIN_RECOVERY_GRACE_SECONDS) {
    problems.push(["BOOKING_RECOVERY_GRACE_SECONDS", `at least ${STRIPE_MIN_RECOVERY_GRACE_SECONDS} with PAYMENTS_PROVIDER=stripe: recovery finds intents through Stripe's search, which trails writes`]);
  }
  for (const [name, message] of problems) context.addIssue({ code: "custom", path: [name], message });
}

export type PaymentSettings =
  | { provider: "simulated"; means: PaymentMeans; latencyMs: number }
  | { provider: "stripe"; means: PaymentMeans; stripe: StripeSettings; webhookSecret: string };

export function paymentSettings(env: PaymentEnv): PaymentSettings {
  if (env.PAYMENTS_PROVIDER === "simulated") return { provider: "simulated", means: "card", latencyMs: env.PAYMENTS_SIMULATED_LATENCY_MS };
  return {
    provider: "stripe",
    means: "payment_method",
    stripe: { secretKey: env.STRIPE_SECRET_KEY!, apiBaseUrl: env.STRIPE_API_BASE_URL, timeoutMs: env.STRIPE_TIMEOUT_MS, maxNetworkRetries: env.STRIPE_MAX_NETWORK_RETRIES },
    webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
  };
}
