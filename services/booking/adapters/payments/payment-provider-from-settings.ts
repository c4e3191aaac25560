import type { Knex } from "knex";
import type { PaymentProvider } from "../../domain/payment-provider.js";
import type { PaymentSettings } from "../../payment-config.js";
import { SimulatedPaymentProvider } from "./simulated-payment-provider.js";
import { createStripeClient } from "./stripe-client.js";
import { stripeEventReader } from "./stripe-payment-events.js";
import { StripePaymentProvider } from "./stripe-payment-provider.js";

/**
 * The configured provider, with its webhook event reader when it sends events. The simulator
 * keeps its books in the booking database, so every replica sees the same authorizations.
 */
export function paymentProviderFromSettings(
  settings: PaymentSettings,
  db: Knex,
): { provider: PaymentProvider; readEvent?: ReturnType<typeof stripeEventReader> } {
  if (settings.provider === "simulated") return { provider: new SimulatedPaymentProvider(db, { latencyMs: settings.latencyMs }) };
  return { provider: new StripePaymentProvider(createStripeClient(settings.stripe)), readEvent: stripeEventReader(settings.webhookSecret) };
}
