import type { PaymentLedger, PaymentRecord } from "./booking-ports.js";
import type { PaymentProvider } from "./payment-provider.js";

export interface RecoveryDeps {
  ledger: PaymentLedger;
  payments: PaymentProvider;
  clock?: () => Date;
  /** Longer than any confirm can take, so the worker never races a live request. */
  graceMs: number;
  /** Recovery's capture attempts of one booked payment before it is dead-lettered ('capture_failed'). */
  maxCaptureAttempts: number;
}

/** Why a capture was given up: an operator captures by hand or refunds and cancels the booking. */
export const CAPTURE_RETRIES_EXHAUSTED = "capture_retries_exhausted";

/**
 * Finishes payments a crash or an outage left mid-flight, so no money stays taken without a
 * ticket: a committed booking is captured; anything without a booking is first claimed
 * ('voiding', which the booking transaction can no longer attach), then the provider is asked
 * what it holds under the payment's key, and an authorization is voided (a capture, which our
 * own flow never makes without a booking, is refunded). Safe on many replicas at once (rows
 * are leased with SKIP LOCKED, the claim is conditional) and on repeats (provider calls are
 * idempotent, ledger moves are conditional).
 */
export function createPaymentRecovery(deps: RecoveryDeps) {
  const now = deps.clock ?? (() => new Date());

  async function capture(payment: PaymentRecord & { providerPaymentId: string }): Promise<void> {
    try {
      await deps.payments.capture(payment.providerPaymentId, `${payment.id}:capture`);
    } catch (error) {
      // A capture that can never succeed (the authorization expired or was voided at the
      // provider) would otherwise be retried forever: after the last attempt it waits for a person.
      if (payment.attempts >= deps.maxCaptureAttempts) {
        await deps.ledger.transition(payment.id, "authorized", "capture_failed", { failureReason: CAPTURE_RETRIES_EXHAUSTED });
      }
      throw error;
    }
    await deps.ledger.transition(payment.id, "authorized", "captured");
  }

  async function giveBack(payment: PaymentRecord): Promise<void> {
    // The claim comes before any call to the provider: a booking that commits first keeps its
    // payment (the claim fails), one that commits later finds the payment claimed and loses.
    if (payment.status !== "voiding" && !(await deps.ledger.claimUnbooked(payment.id, payment.status as "pending" | "authorized"))) return;
    const known = await deps.payments.lookup(payment.id);
    if (!known) {
      // The authorize call never reached the provider: nothing to give back.
      await deps.ledger.transition(payment.id, "voiding", "failed", { failureReason: "interrupted_before_authorization" });
      return;
    }
    // A capture without a booking (never made by this service's own flow; e.g. captured at the
    // provider by hand) is money taken without a ticket: it is refunded. An authorization is voided.
    if (known.status === "authorized") await deps.payments.void(known.providerPaymentId, `${payment.id}:void`);
    if (known.status === "captured") await deps.payments.refund(known.providerPaymentId, `${payment.id}:refund`);
    const refunded = known.status === "captured" || known.status === "refunded";
    await deps.ledger.transition(payment.id, "voiding", refunded ? "refunded" : "voided", {
      failureReason: refunded ? "captured_without_booking" : "interrupted_before_booking",
      // A payment still pending never had the provider's id recorded: the ledger learns it here.
      providerPaymentId: known.providerPaymentId,
    });
  }

  async function repair(payment: PaymentRecord): Promise<void> {
    if (payment.status === "authorized" && payment.bookingId && payment.providerPaymentId) {
      await capture({ ...payment, providerPaymentId: payment.providerPaymentId });
      return;
    }
    await giveBack(payment);
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
    /** Captures given up after every attempt failed: each is a booking whose money was never taken. */
    async deadLetters(): Promise<number> {
      return deps.ledger.countDeadLetters();
    },
  };
}
