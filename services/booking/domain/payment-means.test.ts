import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import { checkPaymentMeans } from "./payment-means.js";

const noCard = { number: "", expMonth: 0, expYear: 0, cvc: "", holderName: "" };
const testCard = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123", holderName: "A" };

describe("what the provider takes from the buyer", () => {
  it("in Stripe mode a payment method id passes, and raw card data is refused as invalid, naming the field and what to send", () => {
    expect(checkPaymentMeans("payment_method", { card: { ...noCard, holderName: "Ada" }, paymentMethodId: "pm_card_visa" })).toEqual({ card: { ...noCard, holderName: "Ada" }, paymentMethodId: "pm_card_visa" });
    const refusal = (() => {
      try {
        checkPaymentMeans("payment_method", { card: { ...noCard, cvc: "123" }, paymentMethodId: "pm_card_visa" });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ kind: "invalid", details: { field: "payment_details.card_number", reason: "card_data_refused" } });
    expect((refusal as Error).message).toMatch(/card data is not accepted.*paymentMethodId/);
  });

  it("with the simulator the test cards pass, and a payment method id is refused", () => {
    expect(checkPaymentMeans("card", { card: testCard, paymentMethodId: "" })).toEqual({ card: testCard });
    expect(() => checkPaymentMeans("card", { card: noCard, paymentMethodId: "pm_card_visa" })).toThrow(/takes the card/);
  });
});
