import { requireService } from "../support/real-services.js";

/** Where the stripe-mock of scripts/payments/stripe-mock.sh answers (.ci/run starts it). */
export const stripeMockUrl = () => process.env.STRIPE_MOCK_URL ?? "http://127.0.0.1:12111";

export async function stripeMockAvailable(url = stripeMockUrl()): Promise<boolean> {
  try {
    const answer = await fetch(`${url}/v1/payment_intents?limit=1`, { headers: { authorization: "Bearer sk_test_123" }, signal: AbortSignal.timeout(2_000) });
    return answer.ok;
  } catch {
    return false;
  }
}

/** Skips the suite locally without a stripe-mock, fails it in CI (requireService). */
export const stripeMockReady = async () => requireService(`stripe-mock at ${stripeMockUrl()} (bash scripts/payments/stripe-mock.sh start)`, await stripeMockAvailable());
