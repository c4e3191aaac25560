import Stripe from "stripe";
import type { ProviderPaymentEvent } from "../../domain/provider-payment-events.js";
import { PAYMENT_ID_METADATA } from "./stripe-payment-provider.js";
import { declineReason } from "./stripe-outcomes.js";

/** Our ledger's payment ids are UUIDs; metadata that is not one was not written by authorize. */
const PAYMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class WebhookSignatureError extends Error {
  override name = "WebhookSignatureError";
}

/**
 * Stripe's signed webhook events: the signature (Stripe-Signature over the raw body, with a
 * timestamp against replays, 5 minutes' tolerance) is checked with the SDK's constructEvent,
 * then the event is read as an outcome for one of our payments, or undefined when it is not
 * one the ledger tracks.
 */
export function stripeEventReader(webhookSecret: string) {
  return function read(payload: Uint8Array | string, signature: string): { eventId: string; event: ProviderPaymentEvent | undefined } {
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(typeof payload === "string" ? payload : Buffer.from(payload), signature, webhookSecret);
    } catch (error) {
      throw new WebhookSignatureError((error as Error).message);
    }
    return { eventId: event.id, event: paymentEventOf(event) };
  };
}

function paymentEventOf(event: Stripe.Event): ProviderPaymentEvent | undefined {
  if (event.type !== "payment_intent.canceled" && event.type !== "payment_intent.payment_failed") return undefined;
  const intent = event.data.object;
  const paymentId = intent.metadata?.[PAYMENT_ID_METADATA];
  if (!paymentId || !PAYMENT_ID.test(paymentId)) return undefined;
  const ours = { eventId: event.id, paymentId, providerPaymentId: intent.id };
  if (event.type === "payment_intent.canceled") return { ...ours, outcome: "canceled" };
  return { ...ours, outcome: "failed", reason: intent.last_payment_error ? declineReason(intent.last_payment_error) : "card_declined" };
}
