import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { createStripeClient } from "../../services/booking/adapters/payments/stripe-client.js";
import { StripePaymentProvider } from "../../services/booking/adapters/payments/stripe-payment-provider.js";
import { stripeMockReady, stripeMockUrl } from "./stripe-mock.js";

/*
 * The adapter against stripe-mock, Stripe's own mock server. It validates every request against
 * Stripe's OpenAPI description (unknown or malformed parameters are 400s) and answers canned
 * objects (the intent's status is requires_capture in the fixture scripts/payments runs it with),
 * echoing the request's values. So this proves our requests are ones Stripe's API takes, on the
 * endpoints we mean, with an idempotency key on each, and that the SDK's answers are read right.
 * It cannot prove Stripe's behaviour: declines, state changes, idempotent replays, search
 * results (decline mapping is tested on the SDK's own error objects, stripe-outcomes.test.ts).
 */
const ready = await stripeMockReady();

const card = { number: "", expMonth: 0, expYear: 0, cvc: "", holderName: "" };

describe.skipIf(!ready)("the Stripe payment provider against stripe-mock", () => {
  const requests: Array<{ method: string; path: string; idempotency_key?: string }> = [];
  const client = (overrides: Partial<Parameters<typeof createStripeClient>[0]> = {}) => {
    const stripe = createStripeClient({ secretKey: "sk_test_123", apiBaseUrl: stripeMockUrl(), timeoutMs: 5_000, maxNetworkRetries: 0, ...overrides });
    stripe.on("request", (event: { method: string; path: string; idempotency_key?: string }) => requests.push(event));
    return stripe;
  };
  afterEach(() => {
    requests.length = 0;
  });

  it("authorizes with a manual-capture PaymentIntent confirmed on the payment method, under the given idempotency key", async () => {
    const provider = new StripePaymentProvider(client());
    const result = await provider.authorize({ amountMinor: 12_345, currency: "USD", card, paymentMethodId: "pm_card_visa", idempotencyKey: "7d0c3f1e-auth" });
    expect(result).toEqual({ kind: "authorized", providerPaymentId: expect.stringMatching(/^pi_/) });
    expect(requests).toEqual([expect.objectContaining({ method: "POST", path: "/v1/payment_intents", idempotency_key: "7d0c3f1e-auth" })]);
  });

  it("captures, voids and refunds with each call's own idempotency key", async () => {
    const provider = new StripePaymentProvider(client());
    await provider.capture("pi_123", "pay-1:capture");
    await provider.void("pi_123", "pay-1:void");
    await provider.refund("pi_123", "pay-1:refund");
    expect(requests.map(({ method, path, idempotency_key }) => ({ method, path, idempotency_key }))).toEqual([
      { method: "POST", path: "/v1/payment_intents/pi_123/capture", idempotency_key: "pay-1:capture" },
      { method: "POST", path: "/v1/payment_intents/pi_123/cancel", idempotency_key: "pay-1:void" },
      { method: "POST", path: "/v1/refunds", idempotency_key: "pay-1:refund" },
    ]);
  });

  it("a retried authorize sends the same key again, so Stripe (not stripe-mock, which keeps no state) replays the first answer", async () => {
    const provider = new StripePaymentProvider(client());
    const request = { amountMinor: 500, currency: "EUR", card, paymentMethodId: "pm_card_visa", idempotencyKey: "retry-key-1" };
    await provider.authorize(request);
    await provider.authorize(request);
    expect(requests.map((r) => r.idempotency_key)).toEqual(["retry-key-1", "retry-key-1"]);
  });

  it("lookup searches intents by the metadata authorize wrote, and takes no canned intent that lacks our key as ours", async () => {
    const provider = new StripePaymentProvider(client());
    expect(await provider.lookup("0b7c9a52-1f0e-4f7e-9a3b-1c2d3e4f5a6b")).toBeUndefined();
    expect(requests).toEqual([expect.objectContaining({ method: "GET", path: expect.stringContaining("/v1/payment_intents/search?query=metadata") })]);
    expect(decodeURIComponent(requests[0]!.path)).toContain("metadata['boxoffice_payment_id']:'0b7c9a52-1f0e-4f7e-9a3b-1c2d3e4f5a6b'");
  });

  it("refuses to authorize without a payment method id: no card data is ever sent to Stripe", async () => {
    const provider = new StripePaymentProvider(client());
    await expect(provider.authorize({ amountMinor: 100, currency: "USD", card: { ...card, number: "4242424242424242" }, idempotencyKey: "no-pm" })).rejects.toThrow(/payment method id/);
    expect(requests).toEqual([]);
  });

  it("an unreachable API fails within the timeout after the bounded retries, as an error (never a decline)", async () => {
    const provider = new StripePaymentProvider(client({ apiBaseUrl: "http://127.0.0.1:9", maxNetworkRetries: 1, timeoutMs: 500 }));
    const started = Date.now();
    const failure = await provider.authorize({ amountMinor: 100, currency: "USD", card, paymentMethodId: "pm_card_visa", idempotencyKey: "down-1" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    // Two attempts under the same key: the first and one retry.
    expect(requests.map((r) => r.idempotency_key)).toEqual(["down-1", "down-1"]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
