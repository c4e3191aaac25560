import Stripe from "stripe";
import type { AuthorizeResult, PaymentProvider } from "../../domain/payment-provider.js";
import { authorizeOutcome, declineOf, knownPayment, type KnownPayment } from "./stripe-outcomes.js";

/** The PaymentIntent's metadata key holding our payment id (the authorize idempotency key). */
export const PAYMENT_ID_METADATA = "boxoffice_payment_id";

/**
 * PaymentIntents with manual capture: authorize creates and confirms one (the card is held,
 * not charged), capture takes the money, void cancels the hold, refund gives captured money
 * back. Every request carries the idempotency key it is given, so the SDK's own retries and
 * ours never act twice.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = "stripe";

  constructor(private readonly stripe: Stripe) {}

  async authorize(request: Parameters<PaymentProvider["authorize"]>[0]): Promise<AuthorizeResult> {
    if (!request.paymentMethodId) throw new Error("the Stripe provider takes a payment method id, never card data");
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountMinor,
          currency: request.currency.toLowerCase(),
          payment_method: request.paymentMethodId,
          confirm: true,
          capture_method: "manual",
          // No method that redirects the buyer: a server-side confirm could not finish it.
          automatic_payment_methods: { enabled: true, allow_redirects: "never" },
          metadata: { [PAYMENT_ID_METADATA]: request.idempotencyKey },
        },
        { idempotencyKey: request.idempotencyKey },
      );
    } catch (error) {
      const declined = declineOf(error);
      if (declined) return declined;
      throw error;
    }
    const outcome = authorizeOutcome(intent);
    // An intent left waiting for 3-D Secure would hold nothing yet could still be completed by
    // someone; it is cancelled so the decline is final.
    if (outcome.kind === "declined" && intent.status === "requires_action") {
      await this.stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: `${request.idempotencyKey}:abandon` });
    }
    return outcome;
  }

  async capture(providerPaymentId: string, idempotencyKey: string): Promise<void> {
    await this.settle(providerPaymentId, "succeeded", () => this.stripe.paymentIntents.capture(providerPaymentId, {}, { idempotencyKey }));
  }

  async void(providerPaymentId: string, idempotencyKey: string): Promise<void> {
    await this.settle(providerPaymentId, "canceled", () => this.stripe.paymentIntents.cancel(providerPaymentId, {}, { idempotencyKey }));
  }

  async refund(providerPaymentId: string, idempotencyKey: string): Promise<void> {
    try {
      await this.stripe.refunds.create({ payment_intent: providerPaymentId }, { idempotencyKey });
    } catch (error) {
      // Refunded before, under another key (or after Stripe forgot this one, 24 h on): done.
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "charge_already_refunded") return;
      throw error;
    }
  }

  /**
   * Finds the intent by the metadata authorize wrote, with Stripe's search API: it works on real
   * Stripe and stripe-mock alike, but its index trails writes (under a minute, Stripe says),
   * which recovery's grace period (BOOKING_RECOVERY_GRACE_SECONDS, at least 60 in Stripe mode)
   * waits out. A result not carrying our key exactly (stripe-mock answers a canned intent) is
   * not ours.
   */
  async lookup(idempotencyKey: string): Promise<KnownPayment | undefined> {
    const found = await this.stripe.paymentIntents.search({
      query: `metadata['${PAYMENT_ID_METADATA}']:'${idempotencyKey.replace(/['\\]/g, "")}'`,
      expand: ["data.latest_charge"],
      limit: 10,
    });
    const ours = found.data.filter((intent) => intent.metadata?.[PAYMENT_ID_METADATA] === idempotencyKey);
    // One create per key, so at most one; should two ever exist, the one holding money counts.
    const known = ours.map(knownPayment).filter((payment): payment is KnownPayment => payment !== undefined);
    return known.find((payment) => payment.status === "authorized" || payment.status === "captured") ?? known[0];
  }

  /**
   * Runs a capture or cancel; when Stripe refuses it because the intent is no longer in the
   * state it needs, and the intent already is where the call would have taken it (an earlier
   * call under another key, or a key Stripe has forgotten), that is success, as a repeat is.
   */
  private async settle(id: string, target: Stripe.PaymentIntent.Status, call: () => Promise<Stripe.PaymentIntent>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError) || error.code !== "payment_intent_unexpected_state") throw error;
      const intent = await this.stripe.paymentIntents.retrieve(id);
      if (intent.status !== target) throw error;
    }
  }
}
