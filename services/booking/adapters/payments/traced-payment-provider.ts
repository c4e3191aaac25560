import type { PaymentProvider } from "../../domain/payment-provider.js";
import { withSpans } from "../../../shared/tracing/traced-methods.js";

/** Every call to the payment provider as a span of its own: the slowest step of a confirm, and the one outside our walls. */
export function tracedPaymentProvider(provider: PaymentProvider): PaymentProvider {
  return withSpans(provider, "payments", ["authorize", "capture", "void", "refund", "lookup"], { "payment.provider": provider.name });
}
