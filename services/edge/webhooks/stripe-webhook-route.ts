import type { Client } from "@connectrpc/connect";
import type { FastifyInstance } from "fastify";
import Stripe from "stripe";
import { PaymentEventsService, ProviderEventOutcome } from "../../../gen/boxoffice/booking/internal/v1/payment_events_pb.js";
import { badRequest, sendError } from "../rest/http-errors.js";

export const STRIPE_WEBHOOK_PATH = "/webhooks/stripe";

export interface StripeWebhookOptions {
  /** The endpoint's signing secret (whsec_…), from Stripe's dashboard or `stripe listen`. */
  secret: string;
  paymentEvents: Client<typeof PaymentEventsService>;
  timeoutMs: number;
}

/**
 * POST /webhooks/stripe: Stripe's asynchronous payment outcomes. Outside the gate (no bearer
 * token: Stripe signs instead), so the signature over the raw body is the only door: a missing
 * or bad one is answered 400 and never reaches booking. A verified event is relayed to booking
 * as received; an answer other than 2xx (booking down: 503) makes Stripe deliver it again later.
 */
export function stripeWebhookRoute(options: StripeWebhookOptions) {
  return async (app: FastifyInstance) => {
    // The signature covers the exact bytes sent: the body must not be parsed and re-serialized.
    app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    app.post(STRIPE_WEBHOOK_PATH, async (request, reply) => {
      const signature = request.headers["stripe-signature"];
      if (typeof signature !== "string" || signature === "") return badRequest(reply, "the Stripe-Signature header is missing");
      const payload = request.body as Buffer;
      let event: Stripe.Event;
      try {
        event = Stripe.webhooks.constructEvent(payload, signature, options.secret);
      } catch (error) {
        return badRequest(reply, `the Stripe-Signature does not verify: ${(error as Error).message}`);
      }
      try {
        const answer = await options.paymentEvents.recordProviderEvent({ payload, signature }, { timeoutMs: options.timeoutMs });
        request.log.info({ stripeEventId: event.id, stripeEventType: event.type, outcome: ProviderEventOutcome[answer.outcome] }, "stripe webhook relayed");
        return { received: true, eventId: event.id, outcome: ProviderEventOutcome[answer.outcome].toLowerCase() };
      } catch (error) {
        return sendError(reply, error);
      }
    });
  };
}
