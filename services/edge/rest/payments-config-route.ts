import type { FastifyInstance } from "fastify";

/**
 * How the browser pays, as the edge is configured: `simulated` takes the test cards in our own
 * form; `stripe` collects the card with Stripe.js (Stripe's own fields, in Stripe's frames) and
 * sends booking only the payment method id it makes, since booking then refuses card data.
 * The publishable key is meant to be public (it can only make payment methods and tokens).
 */
export type CheckoutSettings = { provider: "simulated" } | { provider: "stripe"; publishableKey: string };

export function paymentsConfigRoute(checkout: CheckoutSettings) {
  const body = checkout.provider === "stripe" ? { provider: "stripe", publishableKey: checkout.publishableKey } : { provider: "simulated" };
  return async (app: FastifyInstance) => {
    app.get("/payments/config", async (_request, reply) => {
      // The same for every caller and changed only by a deployment: a browser or CDN may keep it briefly.
      reply.header("cache-control", "public, max-age=60");
      return body;
    });
  };
}
