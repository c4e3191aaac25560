import type { PaymentLedger, PaymentRecord } from "./booking-ports.js";
import type { PaymentProvider } from "./payment-provider.js";

export interface RecoveryDeps {
  ledger: PaymentLedger;
  payments: PaymentProvider;
  clock?: () => Date;
  /** Longer than any confirm can take, so the worker never races a live request. */
  graceMs: number;
}

/**
 * Finishes payments a crash or an outage left mid-flight, so no money stays taken without a
 * ticket: a committed booking is captured; for anything without a booking the provider is
 * asked what it holds under the payment's key, and an authorization is voided (a capture,
 * which our own flow never makes without a booking, is refunded). Safe on many replicas at
 * once (rows are claimed with SKIP LOCKED) and on repeats (provider calls are idempotent,
 * ledger moves are conditional).
 */
export function createPaymentRecovery(deps: RecoveryDeps) {
  const now = deps.clock ?? (() => new Date());

  async function repair(payment: PaymentRecord): Promise<void> {
    if (payment.status === "authorized" && payment.bookingId && payment.providerPaymentId) {
      await deps.payments.capture(payment.providerPaymentId, `${payment.id}:capture`);
      await deps.ledger.transition(payment.id, "authorized", "captured");
      return;
    }
    const known = await deps.payments.lookup(payment.id);
    if (!known) {
      // The authorize call never reached the provider: nothing to give back.
      await deps.ledger.transition(payment.id, payment.status, "failed", { failureReason: "interrupted_before_authorization" });
      return;
    }
    // A capture without a booking (never made by this service's own flow; e.g. captured at the
    // provider by hand) is money taken without a ticket: it is refunded. An authorization is voided.
    if (known.status === "authorized") await deps.payments.void(known.providerPaymentId, `${payment.id}:void`);
    if (known.status === "captured") await deps.payments.refund(known.providerPaymentId, `${payment.id}:refund`);
    const refunded = known.status === "captured" || known.status === "refunded";
    await deps.ledger.transition(payment.id, payment.status, refunded ? "refunded" : "voided", {
      failureReason: refunded ? "captured_without_booking" : "interrupted_before_booking",
      // A payment still pending never had the provider's id recorded: the ledger learns it here.
      providerPaymentId: known.providerPaymentId,
    });
  }

  return {
    /** One pass; returns how many payments it repaired or tried to. */
    async runOnce(limit = 100): Promise<number> {
      return deps.ledger.claimStale(new Date(now().getTime() - deps.graceMs), limit, repair);
    },
    /** Payments past the grace still open: zero when recovery keeps up, growing when it cannot. */
    async backlog(): Promise<number> {
      return deps.ledger.countStale(new Date(now().getTime() - deps.graceMs));
    },
  };
}
