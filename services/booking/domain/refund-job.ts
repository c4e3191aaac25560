import type { PaymentProvider } from "./payment-provider.js";
import type { CancellationStore, RefundFaultHooks, RefundingPayment } from "./refund-ports.js";

export interface RefundJobDeps {
  store: CancellationStore;
  payments: PaymentProvider;
  faults?: RefundFaultHooks;
  clock?: () => Date;
  /** How long a 'refunding' payment rests before the worker takes it as a crashed run's leftover. */
  graceMs: number;
  /** Counts each payment given back, by how (booking-metrics.ts). */
  onSettled?: (outcome: "refunded" | "voided") => void;
}

/**
 * Gives back the money of cancelled bookings, payment by payment, driven by the ledger's
 * 'refunding' rows. The provider is asked what it holds under the payment's authorize key: a
 * capture is refunded, an authorization never captured is voided. Every provider call's key is
 * derived from the payment id (`<id>:refund`, `<id>:void`), so a crash after the provider acted
 * and before the ledger recorded it, then a re-run, still gives each payment back once.
 */
export function createRefundJob(deps: RefundJobDeps) {
  const now = deps.clock ?? (() => new Date());

  async function giveBack(payment: RefundingPayment): Promise<{ to: "refunded" | "voided"; providerPaymentId: string }> {
    const known = await deps.payments.lookup(payment.id);
    if (!known) throw new Error(`the provider holds nothing under payment ${payment.id}, which paid for booking ${payment.bookingId}`);
    if (known.status === "captured") await deps.payments.refund(known.providerPaymentId, `${payment.id}:refund`);
    if (known.status === "authorized") await deps.payments.void(known.providerPaymentId, `${payment.id}:void`);
    const voided = known.status === "authorized" || known.status === "voided";
    return { to: voided ? "voided" : "refunded", providerPaymentId: known.providerPaymentId };
  }

  async function settle(payment: RefundingPayment): Promise<boolean> {
    let outcome;
    try {
      outcome = await giveBack(payment);
    } catch {
      // The provider failed or did not answer: the row stays 'refunding' for the worker.
      return false;
    }
    // Outside the try: a crash here is a crash, the ledger does not learn of the refund.
    await deps.faults?.afterRefund?.(payment.id);
    if (await deps.store.settleRefund(payment.id, outcome.to, outcome.providerPaymentId)) deps.onSettled?.(outcome.to);
    return true;
  }

  return {
    /** Settles the given payments one after another; answers how many are still open. */
    async run(payments: readonly RefundingPayment[]): Promise<{ settled: number; pending: number }> {
      let settled = 0;
      for (const payment of payments) if (await settle(payment)) settled += 1;
      return { settled, pending: payments.length - settled };
    },
    /** Refunds still owed past the grace: zero when the worker keeps up. */
    async backlog(): Promise<number> {
      return deps.store.countStaleRefunds(new Date(now().getTime() - deps.graceMs));
    },
    /** One worker pass over refunds a crash or an outage left open; answers how many it took. */
    async runOnce(limit = 100): Promise<number> {
      return deps.store.claimStaleRefunds(new Date(now().getTime() - deps.graceMs), limit, async (payment) => {
        await settle(payment);
      });
    },
  };
}

export type RefundJob = ReturnType<typeof createRefundJob>;
