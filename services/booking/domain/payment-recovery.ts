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
 * ticket: a committed booking is captured, anything else is voided. Safe on many replicas at
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
    if (payment.status === "authorized" && payment.providerPaymentId) {
      await deps.payments.void(payment.providerPaymentId, `${payment.id}:void`);
      await deps.ledger.transition(payment.id, "authorized", "voided", { failureReason: "interrupted_before_booking" });
      return;
    }
    // Pending: the authorize call may or may not have reached the provider.
    const known = await deps.payments.lookup(payment.id);
    if (known?.status === "authorized") {
      await deps.payments.void(known.providerPaymentId, `${payment.id}:void`);
      await deps.ledger.transition(payment.id, "pending", "voided", { failureReason: "interrupted_before_booking" });
    } else {
      await deps.ledger.transition(payment.id, "pending", "failed", { failureReason: "interrupted_before_authorization" });
    }
  }

  return {
    /** One pass; returns how many payments it repaired or tried to. */
    async runOnce(limit = 100): Promise<number> {
      return deps.ledger.claimStale(new Date(now().getTime() - deps.graceMs), limit, repair);
    },
  };
}
