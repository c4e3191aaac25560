import Stripe from "stripe";

export interface StripeSettings {
  secretKey: string;
  /** Where the API is: Stripe itself when unset; stripe-mock (http://127.0.0.1:12111) in CI. */
  apiBaseUrl?: string | undefined;
  /** Per HTTP attempt; a confirm's payment step must end well inside the recovery grace. */
  timeoutMs: number;
  /** Retries of a failed or timed-out attempt, same idempotency key, exponential back-off. */
  maxNetworkRetries: number;
}

/** Stripe's official SDK, pointed at Stripe or at stripe-mock, with bounded time and retries. */
export function createStripeClient(settings: StripeSettings): Stripe {
  const base = settings.apiBaseUrl ? new URL(settings.apiBaseUrl) : undefined;
  return new Stripe(settings.secretKey, {
    timeout: settings.timeoutMs,
    maxNetworkRetries: settings.maxNetworkRetries,
    // No usage telemetry headers leave our services beyond what a request needs.
    telemetry: false,
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === "http:" ? 80 : 443),
      protocol: base.protocol === "http:" ? "http" : "https",
    }),
  });
}
