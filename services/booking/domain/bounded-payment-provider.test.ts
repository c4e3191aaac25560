import { describe, expect, it } from "vitest";
import { boundedPaymentProvider, PaymentProviderTimeoutError } from "./bounded-payment-provider.js";
import type { PaymentProvider } from "./payment-provider.js";

const never = () => new Promise<never>(() => undefined);

describe("payment-provider calls bounded by a timeout", () => {
  const silent: PaymentProvider = { name: "silent", authorize: never, capture: never, void: never, refund: never, lookup: never };
  const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123", holderName: "T" };

  it("every call the provider never answers fails with PaymentProviderTimeoutError naming the call", async () => {
    const bounded = boundedPaymentProvider(silent, 1);
    await expect(bounded.authorize({ amountMinor: 100, currency: "GBP", card, idempotencyKey: "k" })).rejects.toThrow(PaymentProviderTimeoutError);
    await expect(bounded.capture("p", "k")).rejects.toThrow(/silent capture did not answer/);
    await expect(bounded.void("p", "k")).rejects.toThrow(/silent void/);
    await expect(bounded.refund("p", "k")).rejects.toThrow(/silent refund/);
    await expect(bounded.lookup("k")).rejects.toThrow(/silent lookup/);
  });

  it("answers and refusals pass through unchanged, with the provider as `this`", async () => {
    const provider: PaymentProvider & { prefix: string } = {
      ...silent,
      prefix: "prov",
      async authorize(this: { prefix: string }, request) {
        return { kind: "authorized", providerPaymentId: `${this.prefix}-${request.idempotencyKey}` };
      },
      capture: async () => {
        throw new Error("capture refused");
      },
    };
    const bounded = boundedPaymentProvider(provider, 60_000);
    expect(await bounded.authorize({ amountMinor: 100, currency: "GBP", card, idempotencyKey: "k" })).toEqual({ kind: "authorized", providerPaymentId: "prov-k" });
    await expect(bounded.capture("p", "k")).rejects.toThrow("capture refused");
  });
});
