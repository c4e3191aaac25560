import type { CardDetails } from "./booking-types.js";

/**
 * A card payment provider in the authorize → capture (or void / refund) style. Every call takes
 * an idempotency key, so a retried call never charges twice.
 */
export type AuthorizeResult =
  | { kind: "authorized"; providerPaymentId: string }
  | { kind: "declined"; reason: "card_declined" | "insufficient_funds" | "invalid_card" };

export interface PaymentProvider {
  name: string;
  /**
   * card carries the buyer's card for a provider that takes one (the simulator); a provider that
   * must never see card data (Stripe) takes paymentMethodId, its own token made in the browser,
   * and the card's fields are then empty.
   */
  authorize(request: { amountMinor: number; currency: string; card: CardDetails; paymentMethodId?: string; idempotencyKey: string }): Promise<AuthorizeResult>;
  capture(providerPaymentId: string, idempotencyKey: string): Promise<void>;
  void(providerPaymentId: string, idempotencyKey: string): Promise<void>;
  refund(providerPaymentId: string, idempotencyKey: string): Promise<void>;
  /** What the provider knows under an authorize idempotency key (for recovery after a crash). */
  lookup(idempotencyKey: string): Promise<{ providerPaymentId: string; status: "authorized" | "captured" | "voided" | "refunded" } | undefined>;
}
