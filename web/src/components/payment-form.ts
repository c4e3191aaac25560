import type { CardDetails } from "./card-form.js";

/** What a checkout form hands to confirm: the test card (simulated provider) or Stripe's payment method id. */
export type PaymentInput = CardDetails | { paymentMethodId: string };

/** The checkout form, whichever provider's. */
export interface PaymentForm {
  element: HTMLElement;
  setBusy(busy: boolean): void;
  /** Marks what the server refused: the card number (our form), or the card as a whole (Stripe's). */
  showFieldError(field: "cardNumber" | undefined, message: string): void;
  clearErrors(): void;
  /** Releases what the form holds (Stripe's frames). */
  dispose?(): void;
}
