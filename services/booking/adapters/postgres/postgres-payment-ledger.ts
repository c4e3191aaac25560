import type { Knex } from "knex";
import { TABLES, type PaymentRow } from "../../../shared/db/tables.js";
import { claimLeasedPayments } from "./leased-payments.js";
import { AUTHORIZE_UNANSWERED, type PaymentLedger, type PaymentRecord } from "../../domain/booking-ports.js";

const UNIQUE_VIOLATION = "23505";

export function createPostgresPaymentLedger(db: Knex, provider: string): PaymentLedger {
  return {
    async begin(payment) {
      try {
        const [row] = await db<PaymentRow>(TABLES.payments)
          .insert({
            user_id: payment.userId,
            idempotency_key: payment.idempotencyKey,
            provider,
            amount_minor: payment.amountMinor,
            currency: payment.currency,
            ticket_ids: payment.ticketIds,
            reservation_id: payment.reservationId,
            status: "pending",
          })
          .returning("*");
        return toRecord(row!);
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
        throw error;
      }
    },

    async findByIdempotencyKey(userId, idempotencyKey) {
      const row = await db<PaymentRow>(TABLES.payments).where({ user_id: userId, idempotency_key: idempotencyKey }).first();
      return row ? toRecord(row) : undefined;
    },

    async transition(paymentId, from, to, changes = {}) {
      const updated = await db<PaymentRow>(TABLES.payments)
        .where({ id: paymentId, status: from })
        // 'failed' says the provider never authorized: not once the provider's id is known.
        .modify((query) => (to === "failed" ? query.whereNull("provider_payment_id") : query))
        .update({
          status: to,
          ...(changes.providerPaymentId ? { provider_payment_id: changes.providerPaymentId } : {}),
          ...(changes.failureReason !== undefined ? { failure_reason: changes.failureReason } : {}),
          next_attempt_at: null,
        });
      return updated === 1;
    },

    async claimUnbooked(paymentId, from) {
      // Row-locked like book_tickets' own move from 'pending': whichever commits first wins,
      // and the other finds the row moved on.
      const updated = await db<PaymentRow>(TABLES.payments)
        .where({ id: paymentId, status: from })
        .whereNull("booking_id")
        .update({ status: "voiding" });
      return updated === 1;
    },

    async reopenForVoid(paymentId, providerPaymentId) {
      const updated = await db<PaymentRow>(TABLES.payments)
        .where({ id: paymentId })
        .whereIn("status", ["voiding", "failed"])
        .whereNull("booking_id")
        .update({ status: "voiding", provider_payment_id: providerPaymentId, failure_reason: null, next_attempt_at: null });
      return updated === 1;
    },

    async resume(paymentId) {
      const updated = await db<PaymentRow>(TABLES.payments)
        .where({ id: paymentId, status: "pending", failure_reason: AUTHORIZE_UNANSWERED })
        .update({ failure_reason: null, next_attempt_at: null });
      return updated === 1;
    },

    async claimStale(olderThan, limit, work) {
      const claimed = await claimLeasedPayments(db, { statuses: ["pending", "authorized", "voiding"], olderThan, limit, countAttempt: true });
      for (const row of claimed) {
        await work(toRecord(row)).catch(() => undefined);
      }
      return claimed.length;
    },

    async countStale(olderThan) {
      const [row] = await db(TABLES.payments).whereIn("status", ["pending", "authorized", "voiding"]).where("updated_at", "<", olderThan).count<{ count: string | number }[]>({ count: "*" });
      return Number(row?.count ?? 0);
    },

    async countDeadLetters() {
      const [row] = await db(TABLES.payments).where({ status: "capture_failed" }).count<{ count: string | number }[]>({ count: "*" });
      return Number(row?.count ?? 0);
    },
  };
}

function toRecord(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    userId: row.user_id,
    bookingId: row.booking_id,
    idempotencyKey: row.idempotency_key,
    providerPaymentId: row.provider_payment_id,
    amountMinor: row.amount_minor,
    currency: row.currency.trim(),
    status: row.status,
    failureReason: row.failure_reason,
    ticketIds: row.ticket_ids,
    reservationId: row.reservation_id,
    attempts: row.attempts,
    updatedAt: row.updated_at,
  };
}
