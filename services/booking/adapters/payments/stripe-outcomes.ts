import Stripe from "stripe";
import type { AuthorizeResult } from "../../domain/payment-provider.js";

type DeclineReason = Extract<AuthorizeResult, { kind: "declined" }>["reason"];

/** Card problems the buyer fixes by entering the card again (Stripe's error codes). */
const INVALID_CARD_CODES = new Set([
  "expired_card",
  "incorrect_cvc",
  "incorrect_number",
  "invalid_cvc",
  "invalid_expiry_month",
  "invalid_expiry_year",
  "invalid_number",
  "payment_method_unexpected_state",
  "payment_intent_authentication_failure",
]);

/**
 * A Stripe decline in the words confirm already speaks: insufficient funds, an invalid card, or
 * a plain decline (every other decline_code: lost, stolen, do_not_honor, fraudulent…, which the
 * buyer must not be told apart).
 */
export function declineReason(error: { code?: string | undefined; decline_code?: string | undefined }): DeclineReason {
  if (error.decline_code === "insufficient_funds" || error.code === "insufficient_funds") return "insufficient_funds";
  if (error.decline_code && INVALID_CARD_CODES.has(error.decline_code)) return "invalid_card";
  if (error.code && INVALID_CARD_CODES.has(error.code)) return "invalid_card";
  return "card_declined";
}

/**
 * The answer to an authorize that Stripe did answer: a decline (402, StripeCardError), or a
 * payment method the request named that is not there or not usable (400 on param
 * payment_method), which is the buyer's card problem, not ours. Anything else is not a decline
 * and is left to the caller to throw.
 */
export function declineOf(error: unknown): AuthorizeResult | undefined {
  if (error instanceof Stripe.errors.StripeCardError) return { kind: "declined", reason: declineReason(error) };
  if (error instanceof Stripe.errors.StripeInvalidRequestError && error.param === "payment_method") return { kind: "declined", reason: "invalid_card" };
  return undefined;
}

/**
 * What a confirmed, manual-capture PaymentIntent means for confirm. requires_capture is the
 * authorization; requires_payment_method after confirming is a decline Stripe reported in the
 * object rather than as an error; requires_action (3-D Secure) cannot be completed by a
 * server-side confirm, so it is declined too (the caller cancels the intent).
 */
export function authorizeOutcome(intent: Pick<Stripe.PaymentIntent, "id" | "status" | "last_payment_error">): AuthorizeResult {
  switch (intent.status) {
    case "requires_capture":
    case "succeeded":
      return { kind: "authorized", providerPaymentId: intent.id };
    case "requires_payment_method":
      return { kind: "declined", reason: intent.last_payment_error ? declineReason(intent.last_payment_error) : "card_declined" };
    default:
      return { kind: "declined", reason: "card_declined" };
  }
}

export type KnownPayment = { providerPaymentId: string; status: "authorized" | "captured" | "voided" | "refunded" };

/**
 * What the provider holds for a PaymentIntent, as recovery asks it: undefined when it holds no
 * money (never authorized, or declined). A capture fully refunded (its latest charge expanded)
 * is "refunded".
 */
export function knownPayment(intent: Pick<Stripe.PaymentIntent, "id" | "status" | "latest_charge">): KnownPayment | undefined {
  const providerPaymentId = intent.id;
  switch (intent.status) {
    case "requires_capture":
      return { providerPaymentId, status: "authorized" };
    case "canceled":
      return { providerPaymentId, status: "voided" };
    case "succeeded": {
      const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
      return { providerPaymentId, status: charge?.refunded ? "refunded" : "captured" };
    }
    default:
      return undefined;
  }
}
