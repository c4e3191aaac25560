import type { PaymentLedger, PaymentStatus } from "./booking-ports.js";

/**
 * An outcome the provider reports on its own time (a webhook), about one of our payments: the
 * authorization was cancelled (voided by us or another party, or expired unused), or it failed.
 * A capture is not among them: the ledger's row alone cannot tell a capture that stands on a
 * booking from one made by hand without any (which recovery must refund, and would no longer
 * see once recorded as captured), and recovery settles our own captures anyway.
 */
export type ProviderPaymentEvent = {
  eventId: string;
  /** Our ledger's payment id, which authorize gave the provider as the intent's metadata. */
  paymentId: string;
  providerPaymentId: string;
} & ({ outcome: "canceled" } | { outcome: "failed"; reason: string });

export type ProviderEventOutcome = "applied" | "already_recorded" | "ignored";

/**
 * The ledger follows the provider's word, but only forward and only from a status the outcome
 * can follow (every move is conditional), so a late or repeated event never undoes a later one
 * and never races confirm or recovery into a second move: whoever moves a row first wins, the
 * others find it moved.
 */
const MOVES: Record<ProviderPaymentEvent["outcome"], { from: PaymentStatus[]; to: PaymentStatus }> = {
  // Nothing is held any more, whoever cancelled it; a booking standing on it has no money and
  // the error log names it.
  canceled: { from: ["pending", "authorized"], to: "voided" },
  failed: { from: ["pending"], to: "declined" },
};

export function createProviderEventRecorder(deps: { ledger: Pick<PaymentLedger, "transition">; onCanceledAuthorization?: (event: ProviderPaymentEvent) => void }) {
  return async function record(event: ProviderPaymentEvent): Promise<ProviderEventOutcome> {
    const move = MOVES[event.outcome];
    const failureReason = event.outcome === "failed" ? event.reason : "canceled_at_provider";
    for (const from of move.from) {
      const moved = await deps.ledger.transition(event.paymentId, from, move.to, {
        providerPaymentId: event.providerPaymentId,
        failureReason,
      });
      if (!moved) continue;
      if (event.outcome === "canceled" && from === "authorized") deps.onCanceledAuthorization?.(event);
      return "applied";
    }
    return "already_recorded";
  };
}
