import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { authorizeOutcome, declineOf, knownPayment } from "./stripe-outcomes.js";

// Stripe's test cards answer these errors on real Stripe; stripe-mock never declines, so the
// mapping is checked on the SDK's own error objects, made by its own error factory from the
// raw error bodies Stripe sends (https://docs.stripe.com/testing#declined-payments), with the
// HTTP status by which the SDK picks the error's class (402: a card error).
const stripeError = (raw: Record<string, unknown>) => Stripe.errors.StripeError.generate(raw as never);

describe("Stripe declines in confirm's words", () => {
  it.each([
    [{ statusCode: 402, type: "card_error", code: "card_declined", decline_code: "generic_decline" }, "card_declined"],
    [{ statusCode: 402, type: "card_error", code: "card_declined", decline_code: "insufficient_funds" }, "insufficient_funds"],
    [{ statusCode: 402, type: "card_error", code: "card_declined", decline_code: "lost_card" }, "card_declined"],
    [{ statusCode: 402, type: "card_error", code: "card_declined", decline_code: "stolen_card" }, "card_declined"],
    [{ statusCode: 402, type: "card_error", code: "expired_card" }, "invalid_card"],
    [{ statusCode: 402, type: "card_error", code: "incorrect_cvc" }, "invalid_card"],
    [{ statusCode: 402, type: "card_error", code: "incorrect_number" }, "invalid_card"],
    [{ statusCode: 402, type: "card_error", code: "processing_error" }, "card_declined"],
  ])("%j → %s", (raw, reason) => {
    expect(declineOf(stripeError(raw))).toEqual({ kind: "declined", reason });
  });

  it("a payment method id Stripe does not know is the buyer's invalid card", () => {
    expect(declineOf(stripeError({ statusCode: 400, type: "invalid_request_error", code: "resource_missing", param: "payment_method" }))).toEqual({ kind: "declined", reason: "invalid_card" });
  });

  it("anything else is no decline (an outage, a bad key, a bug): the caller throws it, and recovery asks later", () => {
    expect(declineOf(stripeError({ statusCode: 500, type: "api_error" }))).toBeUndefined();
    expect(declineOf(stripeError({ statusCode: 400, type: "invalid_request_error", code: "parameter_unknown", param: "amount" }))).toBeUndefined();
    expect(declineOf(new Stripe.errors.StripeConnectionError({ message: "timeout" } as never))).toBeUndefined();
    expect(declineOf(new Error("boom"))).toBeUndefined();
  });
});

describe("a confirmed intent's status", () => {
  const intent = (status: Stripe.PaymentIntent.Status, last_payment_error: Stripe.PaymentIntent.LastPaymentError | null = null) => ({ id: "pi_1", status, last_payment_error });

  it("requires_capture is the authorization", () => {
    expect(authorizeOutcome(intent("requires_capture"))).toEqual({ kind: "authorized", providerPaymentId: "pi_1" });
  });

  it("requires_payment_method is a decline, with the reason of its last error", () => {
    expect(authorizeOutcome(intent("requires_payment_method", { type: "card_error", code: "card_declined", decline_code: "insufficient_funds" }))).toEqual({ kind: "declined", reason: "insufficient_funds" });
    expect(authorizeOutcome(intent("requires_payment_method"))).toEqual({ kind: "declined", reason: "card_declined" });
  });

  it("requires_action (3-D Secure) cannot be finished server-side: declined", () => {
    expect(authorizeOutcome(intent("requires_action"))).toEqual({ kind: "declined", reason: "card_declined" });
  });

  it("recovery's view: authorized, captured, refunded, voided, or nothing held", () => {
    const base = { id: "pi_1", latest_charge: null };
    expect(knownPayment({ ...base, status: "requires_capture" })).toEqual({ providerPaymentId: "pi_1", status: "authorized" });
    expect(knownPayment({ ...base, status: "succeeded" })).toEqual({ providerPaymentId: "pi_1", status: "captured" });
    expect(knownPayment({ ...base, status: "succeeded", latest_charge: { refunded: true } as Stripe.Charge })).toEqual({ providerPaymentId: "pi_1", status: "refunded" });
    expect(knownPayment({ ...base, status: "canceled" })).toEqual({ providerPaymentId: "pi_1", status: "voided" });
    expect(knownPayment({ ...base, status: "requires_payment_method" })).toBeUndefined();
  });
});
