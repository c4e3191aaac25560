import { describe, expect, it } from "vitest";
import { ProviderUnavailableError, SimulatedPaymentProvider } from "./simulated-payment-provider.js";

const request = (number: string, idempotencyKey = "k1") => ({
  amountMinor: 1_000,
  currency: "GBP",
  idempotencyKey,
  card: { number, expMonth: 12, expYear: 2030, cvc: "123", holderName: "T" },
});

describe("the simulated payment provider", () => {
  it("follows the test cards: 4242 pays, 0002 is declined, 9995 lacks funds, anything else is invalid", async () => {
    const provider = new SimulatedPaymentProvider();
    expect((await provider.authorize(request("4242424242424242", "a"))).kind).toBe("authorized");
    expect(await provider.authorize(request("4000000000000002", "b"))).toEqual({ kind: "declined", reason: "card_declined" });
    expect(await provider.authorize(request("4000000000009995", "c"))).toEqual({ kind: "declined", reason: "insufficient_funds" });
    expect(await provider.authorize(request("4111111111111111", "d"))).toEqual({ kind: "declined", reason: "invalid_card" });
  });

  it("answers a repeated authorize key with the first authorization, never a second one", async () => {
    const provider = new SimulatedPaymentProvider();
    const first = await provider.authorize(request("4242424242424242"));
    expect(await provider.authorize(request("4242424242424242"))).toEqual(first);
    expect(provider.payments()).toHaveLength(1);
  });

  it("an unreachable failure does nothing; a lost answer does the work and still fails", async () => {
    const provider = new SimulatedPaymentProvider();
    provider.failNext("authorize", 1);
    await expect(provider.authorize(request("4242424242424242", "x"))).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await provider.lookup("x")).toBeUndefined();
    provider.failNext("authorize", 1, "answer_lost");
    await expect(provider.authorize(request("4242424242424242", "y"))).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect((await provider.lookup("y"))?.status).toBe("authorized");
  });

  it("moves a payment authorized → captured → refunded, or authorized → voided, and refuses the rest", async () => {
    const provider = new SimulatedPaymentProvider();
    const result = await provider.authorize(request("4242424242424242"));
    if (result.kind !== "authorized") throw new Error("not authorized");
    await provider.capture(result.providerPaymentId, "cap");
    await expect(provider.void(result.providerPaymentId, "void")).rejects.toThrow(/cannot void a payment that is captured/);
    await provider.refund(result.providerPaymentId, "ref");
    await provider.refund(result.providerPaymentId, "ref");
    expect((await provider.lookup("k1"))?.status).toBe("refunded");
  });
});
