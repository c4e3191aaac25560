import { h } from "../dom.js";
import type { PaymentForm } from "./payment-form.js";

export interface CardDetails {
  cardNumber: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  cardholderName: string;
}

export interface CardForm extends PaymentForm {
  element: HTMLFormElement;
  setBusy(busy: boolean): void;
  /** Marks a field the server refused, e.g. the card number. */
  showFieldError(field: "cardNumber" | undefined, message: string): void;
  clearErrors(): void;
}

/** Card details with the autofill names browsers and password managers know. */
export function createCardForm(payLabel: string, onPay: (card: CardDetails) => void): CardForm {
  const year = new Date().getFullYear();
  const name = h("input", { id: "card-name", name: "cc-name", autocomplete: "cc-name", required: true, maxlength: 200 });
  const number = h("input", {
    id: "card-number",
    name: "cc-number",
    autocomplete: "cc-number",
    inputmode: "numeric",
    required: true,
    pattern: "[0-9 ]{12,23}",
    "aria-describedby": "card-number-hint card-number-error",
  });
  const numberError = h("p", { id: "card-number-error", class: "field-error", role: "alert" });
  const month = h(
    "select",
    { id: "card-exp-month", name: "cc-exp-month", autocomplete: "cc-exp-month", required: true },
    Array.from({ length: 12 }, (_, i) => h("option", { value: i + 1 }, String(i + 1).padStart(2, "0"))),
  );
  const expYear = h(
    "select",
    { id: "card-exp-year", name: "cc-exp-year", autocomplete: "cc-exp-year", required: true },
    Array.from({ length: 12 }, (_, i) => h("option", { value: year + i }, String(year + i))),
  );
  expYear.value = String(year + 2);
  const cvc = h("input", { id: "card-cvc", name: "cc-csc", autocomplete: "cc-csc", inputmode: "numeric", required: true, pattern: "[0-9]{3,4}", maxlength: 4 });
  const pay = h("button", { type: "submit", class: "button primary pay-button" }, payLabel);

  const element = h(
    "form",
    {
      class: "card-form",
      "aria-label": "Card details",
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        onPay({
          cardNumber: number.value.replace(/\s+/g, ""),
          expMonth: Number(month.value),
          expYear: Number(expYear.value),
          cvc: cvc.value.trim(),
          cardholderName: name.value.trim(),
        });
      },
    },
    h("div", { class: "field" }, h("label", { for: "card-name" }, "Name on card"), name),
    h(
      "div",
      { class: "field" },
      h("label", { for: "card-number" }, "Card number"),
      number,
      h("small", { id: "card-number-hint" }, "Test cards: 4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined."),
      numberError,
    ),
    h(
      "fieldset",
      { class: "field-row" },
      h("legend", {}, "Expiry date"),
      h("div", { class: "field" }, h("label", { for: "card-exp-month" }, "Month"), month),
      h("div", { class: "field" }, h("label", { for: "card-exp-year" }, "Year"), expYear),
    ),
    h("div", { class: "field field-narrow" }, h("label", { for: "card-cvc" }, "Security code (CVC)"), cvc),
    pay,
  );

  return {
    element,
    setBusy(busy) {
      pay.disabled = busy;
      pay.textContent = busy ? "Paying…" : payLabel;
      element.setAttribute("aria-busy", String(busy));
    },
    showFieldError(field, message) {
      if (field === "cardNumber") {
        number.setAttribute("aria-invalid", "true");
        numberError.textContent = message;
        number.focus();
      }
    },
    clearErrors() {
      number.removeAttribute("aria-invalid");
      numberError.textContent = "";
    },
  };
}
