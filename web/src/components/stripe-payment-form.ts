import type { Stripe, StripeElements, StripePaymentElement } from "@stripe/stripe-js";
import { h } from "../dom.js";
import type { PaymentForm, PaymentInput } from "./payment-form.js";

export interface StripeCheckout {
  publishableKey: string;
  /** The order's total in minor units and its currency: the Payment Element shows the card fields that fit it. */
  amountMinor: number;
  currency: string;
}

/** What loads Stripe.js; the module by default, a stand-in in unit tests. */
export type LoadStripe = (publishableKey: string) => Promise<Stripe | null>;

const defaultLoadStripe: LoadStripe = async (publishableKey) => {
  // Imported only in Stripe mode, so the simulated checkout never reaches for js.stripe.com.
  const { loadStripe } = await import("@stripe/stripe-js");
  return loadStripe(publishableKey);
};

const LOAD_FAILED = "The card form could not be loaded (Stripe's payment page did not answer). Check your connection and reload the page; your seats stay held until the timer runs out.";

/**
 * Stripe mode's checkout: Stripe's Payment Element (card only, no redirects) in Stripe's own
 * frames, so card numbers never touch this page's code or our services. Paying asks Stripe.js
 * for a PaymentMethod (`paymentMethodCreation: "manual"`) and hands its id to confirm; booking
 * then authorizes it with manual capture, as docs/payments.md describes.
 */
export function createStripePaymentForm(checkout: StripeCheckout, payLabel: string, onPay: (payment: PaymentInput) => void, load: LoadStripe = defaultLoadStripe): PaymentForm {
  const name = h("input", { id: "card-name", name: "cc-name", autocomplete: "cc-name", required: true, maxlength: 200 });
  const mount = h("div", { id: "stripe-payment-element", class: "stripe-payment-element", "aria-describedby": "stripe-payment-error" });
  const error = h("p", { id: "stripe-payment-error", class: "field-error", role: "alert" });
  const pay = h("button", { type: "submit", class: "button primary pay-button", disabled: true }, payLabel);
  let stripe: Stripe | undefined;
  let elements: StripeElements | undefined;
  let paymentElement: StripePaymentElement | undefined;
  let busy = false;
  let disposed = false;

  const showError = (message: string) => {
    error.textContent = message;
    mount.setAttribute("aria-invalid", "true");
  };

  const element = h(
    "form",
    {
      class: "card-form stripe-form",
      "aria-label": "Card details",
      "data-provider": "stripe",
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        void submit();
      },
    },
    h("div", { class: "field" }, h("label", { for: "card-name" }, "Name on card"), name),
    h("div", { class: "field" }, h("span", { class: "label" }, "Card"), mount, h("small", {}, "Card details are taken by Stripe and never reach boxoffice."), error),
    pay,
  );

  async function submit(): Promise<void> {
    if (!stripe || !elements || busy) return;
    error.textContent = "";
    mount.removeAttribute("aria-invalid");
    // Stripe's own checks of what was typed (incomplete number, past expiry) come first.
    const submitted = await elements.submit();
    if (submitted.error) return showError(submitted.error.message ?? "Check the card details.");
    const created = await stripe.createPaymentMethod({ elements, params: { billing_details: { name: name.value.trim() } } });
    if (created.error || !created.paymentMethod) return showError(created.error?.message ?? "The card could not be used. Try another card.");
    onPay({ paymentMethodId: created.paymentMethod.id });
  }

  load(checkout.publishableKey).then(
    (loaded) => {
      if (disposed) return;
      if (!loaded) return showError(LOAD_FAILED);
      stripe = loaded;
      elements = loaded.elements({
        mode: "payment",
        amount: checkout.amountMinor,
        currency: checkout.currency.toLowerCase(),
        paymentMethodCreation: "manual",
        captureMethod: "manual",
        allowedPaymentMethodTypes: ["card"],
      });
      paymentElement = elements.create("payment", { fields: { billingDetails: { name: "never" } } });
      paymentElement.mount(mount);
      pay.disabled = busy;
    },
    () => {
      if (!disposed) showError(LOAD_FAILED);
    },
  );

  return {
    element,
    setBusy(value) {
      busy = value;
      pay.disabled = value || !stripe;
      pay.textContent = value ? "Paying…" : payLabel;
      element.setAttribute("aria-busy", String(value));
    },
    showFieldError(_field, message) {
      showError(message);
      paymentElement?.focus();
    },
    clearErrors() {
      error.textContent = "";
      mount.removeAttribute("aria-invalid");
    },
    dispose() {
      disposed = true;
      paymentElement?.destroy();
    },
  };
}
