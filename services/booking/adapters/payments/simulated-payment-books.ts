import type { Knex } from "knex";
import type { AuthorizeResult } from "../../domain/payment-provider.js";

export type SimulatedStatus = "authorized" | "captured" | "voided" | "refunded";
export type SimulatedOperation = "capture" | "void" | "refund";

export interface SimulatedPayment {
  providerPaymentId: string;
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  status: SimulatedStatus;
}

interface SimulatedPaymentRow {
  idempotency_key: string;
  provider_payment_id: string | null;
  amount_minor: number;
  currency: string;
  status: SimulatedStatus | "declined";
  decline_reason: Extract<AuthorizeResult, { kind: "declined" }>["reason"] | null;
}

/** A call that reused an authorize key with another amount or currency (a real provider refuses it too). */
export class IdempotencyKeyReusedError extends Error {
  override name = "IdempotencyKeyReusedError";
}

/** A move the payment's state does not allow, e.g. voiding a captured payment. */
export class PaymentStateError extends Error {
  override name = "PaymentStateError";
}

const PAYMENTS = "simulated_payments";
const OPERATIONS = "simulated_payment_operations";

/**
 * The simulated provider's books in PostgreSQL (migration 011): every booking replica and every
 * restart sees the same authorizations, as they would at a real provider.
 */
export function simulatedPaymentBooks(db: Knex) {
  return {
    /** Records the first outcome for this key; a repeat gets that outcome, never a second one. */
    async authorizeOnce(request: { idempotencyKey: string; amountMinor: number; currency: string }, outcome: AuthorizeResult): Promise<AuthorizeResult> {
      await db<SimulatedPaymentRow>(PAYMENTS)
        .insert({
          idempotency_key: request.idempotencyKey,
          provider_payment_id: outcome.kind === "authorized" ? outcome.providerPaymentId : null,
          amount_minor: request.amountMinor,
          currency: request.currency,
          status: outcome.kind === "authorized" ? "authorized" : "declined",
          decline_reason: outcome.kind === "declined" ? outcome.reason : null,
        })
        .onConflict("idempotency_key")
        .ignore();
      const stored = (await db<SimulatedPaymentRow>(PAYMENTS).where({ idempotency_key: request.idempotencyKey }).first())!;
      if (stored.amount_minor !== request.amountMinor || stored.currency.trim() !== request.currency) {
        throw new IdempotencyKeyReusedError(`key ${request.idempotencyKey} was first used for ${stored.amount_minor} ${stored.currency.trim()}`);
      }
      return stored.status === "declined" ? { kind: "declined", reason: stored.decline_reason! } : { kind: "authorized", providerPaymentId: stored.provider_payment_id! };
    },

    async byKey(idempotencyKey: string): Promise<SimulatedPayment | undefined> {
      const row = await db<SimulatedPaymentRow>(PAYMENTS).where({ idempotency_key: idempotencyKey }).whereNot({ status: "declined" }).first();
      return row && toPayment(row);
    },

    /** Every authorization, for tests that audit the money. */
    async all(): Promise<SimulatedPayment[]> {
      const rows = await db<SimulatedPaymentRow>(PAYMENTS).whereNot({ status: "declined" }).orderBy("created_at");
      return rows.map(toPayment);
    },

    /** from → to under the payment's row lock; a key already applied, or the end state already reached, succeeds without effect. */
    async move(providerPaymentId: string, idempotencyKey: string, operation: SimulatedOperation, from: SimulatedStatus, to: SimulatedStatus): Promise<void> {
      await db.transaction(async (trx) => {
        const payment = await trx<SimulatedPaymentRow>(PAYMENTS).where({ provider_payment_id: providerPaymentId }).forUpdate().first();
        if (!payment) throw new PaymentStateError(`no such payment ${providerPaymentId}`);
        const applied = await trx(OPERATIONS).where({ idempotency_key: idempotencyKey }).first();
        if (applied || payment.status === to) return;
        if (payment.status !== from) throw new PaymentStateError(`cannot ${operation} a payment that is ${payment.status}`);
        await trx<SimulatedPaymentRow>(PAYMENTS).where({ provider_payment_id: providerPaymentId }).update({ status: to });
        await trx(OPERATIONS).insert({ idempotency_key: idempotencyKey, provider_payment_id: providerPaymentId, operation });
      });
    },
  };
}

function toPayment(row: SimulatedPaymentRow): SimulatedPayment {
  return {
    providerPaymentId: row.provider_payment_id!,
    idempotencyKey: row.idempotency_key,
    amountMinor: row.amount_minor,
    currency: row.currency.trim(),
    status: row.status as SimulatedStatus,
  };
}
