import { invalid } from "../../shared/errors/domain-error.js";
import type { CardDetails } from "./booking-types.js";

/**
 * What this deployment's provider takes: the card itself (the simulator's test cards), or only
 * a payment method the provider tokenized in the browser (Stripe), so that card data never
 * crosses our services.
 */
export type PaymentMeans = "card" | "payment_method";

export interface GivenPayment {
  card: CardDetails;
  paymentMethodId: string;
}

/**
 * Refuses payment details the provider must not (or cannot) take, naming the fields the caller
 * sent. The contract already guarantees one of the two forms is complete.
 */
export function checkPaymentMeans(means: PaymentMeans, given: GivenPayment): { card: CardDetails; paymentMethodId?: string } {
  const { card } = given;
  const sentCardData = card.number !== "" || card.cvc !== "" || card.expMonth !== 0 || card.expYear !== 0;
  if (means === "payment_method") {
    if (sentCardData) {
      throw invalid(
        "card data is not accepted here: collect the card with Stripe.js in the browser and send paymentDetails.paymentMethodId (pm_…) instead of cardNumber, expMonth, expYear and cvc",
        { field: "payment_details.card_number", reason: "card_data_refused" },
      );
    }
    return { card, paymentMethodId: given.paymentMethodId };
  }
  if (given.paymentMethodId !== "") {
    throw invalid("this deployment's payment provider takes the card (cardNumber, expMonth, expYear, cvc), not a paymentMethodId", {
      field: "payment_details.payment_method_id", reason: "payment_method_not_taken",
    });
  }
  return { card };
}
