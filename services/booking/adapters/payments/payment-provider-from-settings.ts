import type { PaymentProvider } from "../../domain/payment-provider.js";
import type { PaymentSettings } from "../../payment-config.js";
import { SimulatedPaymentProvider } from "./simulated-payment-provider.js";
import { createStripeClient } from "./stripe-client.js";
import { stripeEventReader } from "./stripe-payment-events.js";
import { StripePaymentProvider } from "./stripe-payment-provider.js";

/** The configured provider, with its webhook event reader when it sends events. */
export function paymentProviderFromSettings(settings: PaymentSettings): { provider: PaymentProvider; readEvent?: ReturnType<typeof stripeEventReader> } {
  if (settings.provider === "simulated") return { provider: new SimulatedPaymentProvider({ latencyMs: settings.latencyMs }) };
  return { provider: new StripePaymentProvider(createStripeClient(settings.stripe)), readEvent: stripeEventReader(settings.webhookSecret) };
}
