/**
 * How this deployment takes a payment, as the edge says at GET /payments/config: the simulator's
 * test cards in our own form, or Stripe, whose card fields come from Stripe.js and whose answer
 * is a payment method id (booking then refuses raw card data).
 */
export type CheckoutConfig = { provider: "simulated" } | { provider: "stripe"; publishableKey: string };

const SIMULATED: CheckoutConfig = { provider: "simulated" };

/** Reads the edge's answer, once per page load; a failed read is asked again next time. */
export function checkoutConfigLoader(fetchJson: (path: string) => Promise<unknown> = defaultFetch): () => Promise<CheckoutConfig> {
  let loaded: Promise<CheckoutConfig> | undefined;
  return () => {
    loaded ??= fetchJson("/payments/config").then(parseCheckoutConfig, (error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}

export function parseCheckoutConfig(body: unknown): CheckoutConfig {
  const answer = body as { provider?: unknown; publishableKey?: unknown } | null;
  if (answer?.provider === "stripe" && typeof answer.publishableKey === "string" && /^pk_(test|live)_/.test(answer.publishableKey)) {
    return { provider: "stripe", publishableKey: answer.publishableKey };
  }
  return SIMULATED;
}

async function defaultFetch(path: string): Promise<unknown> {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return response.json();
}
