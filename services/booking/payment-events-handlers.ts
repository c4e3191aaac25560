import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { PaymentEventsService, ProviderEventOutcome } from "../../gen/boxoffice/booking/internal/v1/payment_events_pb.js";
import type { Logger } from "../shared/logging/logger.js";
import { WebhookSignatureError } from "./adapters/payments/stripe-payment-events.js";
import type { ProviderEventOutcome as Outcome, ProviderPaymentEvent } from "./domain/provider-payment-events.js";

export interface PaymentEventsDeps {
  /** Verifies and reads a provider event; undefined when this deployment's provider sends none (the simulator). */
  read?: (payload: Uint8Array, signature: string) => { eventId: string; event: ProviderPaymentEvent | undefined };
  record(event: ProviderPaymentEvent): Promise<Outcome>;
  logger: Logger;
}

const OUTCOMES: Record<Outcome, ProviderEventOutcome> = {
  applied: ProviderEventOutcome.APPLIED,
  already_recorded: ProviderEventOutcome.ALREADY_RECORDED,
  ignored: ProviderEventOutcome.IGNORED,
};

/** PaymentEventsService: the edge relays each webhook here; booking trusts only the signature. */
export function paymentEventsRoutes(deps: PaymentEventsDeps) {
  return (router: ConnectRouter) =>
    router.service(PaymentEventsService, {
      async recordProviderEvent(request) {
        if (!deps.read) {
          throw new ConnectError("this booking service takes no provider events: its payment provider is the simulator (PAYMENTS_PROVIDER=simulated)", Code.FailedPrecondition);
        }
        let read;
        try {
          read = deps.read(request.payload, request.signature);
        } catch (error) {
          if (error instanceof WebhookSignatureError) throw new ConnectError(`the event's signature does not verify: ${error.message}`, Code.InvalidArgument);
          throw error;
        }
        const outcome = read.event ? await deps.record(read.event) : "ignored";
        deps.logger.info({ providerEventId: read.eventId, paymentId: read.event?.paymentId, outcome }, "provider payment event");
        return { outcome: OUTCOMES[outcome], eventId: read.eventId };
      },
    });
}
