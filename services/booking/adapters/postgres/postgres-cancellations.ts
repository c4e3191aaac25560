import type { Knex } from "knex";
import { TABLES, type PaymentRow } from "../../../shared/db/tables.js";
import type { CancellationStore, RefundingPayment } from "../../domain/refund-ports.js";
import { claimLeasedPayments } from "./leased-payments.js";
import { createPostgresBookingStore } from "./postgres-booking-store.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The payments that hold a buyer's money once their booking committed: captured, or authorized
 * and not captured yet (or given up on capturing); the refund job asks the provider which.
 */
const MONEY_HELD = ["captured", "authorized", "capture_failed"] as const;

/** Cancellations and their refunds on the tables booking shares with the catalog (events). */
export function createPostgresCancellations(db: Knex): CancellationStore {
  const bookings = createPostgresBookingStore(db);

  /** The cancelled bookings' money moves to 'refunding'; a booking with none left to give back is refunded at once. */
  async function owe(trx: Knex.Transaction, bookingIds: readonly string[]) {
    if (bookingIds.length === 0) return;
    await trx(TABLES.payments).whereIn("booking_id", bookingIds).whereIn("status", MONEY_HELD).update({ status: "refunding", next_attempt_at: null });
    await trx.raw(
      `update bookings b set status = 'refunded', refunded_at = now()
        where b.id = any(?::uuid[]) and b.status = 'cancelled'
          and not exists (select 1 from payments p where p.booking_id = b.id and p.status = 'refunding')`,
      [[...bookingIds]],
    );
  }

  return {
    async cancelBooking(bookingId) {
      if (!UUID.test(bookingId)) return undefined;
      const released = await db.transaction(async (trx) => {
        const row = await trx(TABLES.bookings).where({ id: bookingId }).forUpdate().first("status");
        if (!row) return undefined;
        if (row.status !== "confirmed") return [];
        await trx(TABLES.bookings).where({ id: bookingId }).update({ status: "cancelled", cancel_reason: "refunded_by_admin", cancelled_at: trx.fn.now() });
        // Seats locked in id order, as book_tickets locks them, so the two never deadlock.
        const seats: Array<{ id: string }> = await trx(TABLES.tickets).where({ booking_id: bookingId }).orderBy("id").forUpdate().select("id");
        await trx(TABLES.bookingItems).where({ booking_id: bookingId, active: true }).update({ active: false });
        await trx(TABLES.tickets)
          .where({ booking_id: bookingId })
          .update({ status: "available", booking_id: null, version: trx.raw("version + 1") });
        await owe(trx, [bookingId]);
        return seats.map((seat) => seat.id);
      });
      if (!released) return undefined;
      return { booking: (await bookings.findBooking(bookingId))!, releasedTicketIds: released };
    },

    async cancelEvent(eventId) {
      if (!UUID.test(eventId)) return false;
      return db.transaction(async (trx) => {
        // The row lock orders this against every booking transaction's share lock on the event
        // (migration 014's trigger): bookings committed before are cancelled below, later ones are refused.
        const updated = await trx(TABLES.events).where({ id: eventId }).update({ status: "cancelled" });
        if (updated === 0) return false;
        const cancelled: Array<{ id: string }> = await trx(TABLES.bookings)
          .where({ event_id: eventId, status: "confirmed" })
          .update({ status: "cancelled", cancel_reason: "event_cancelled", cancelled_at: trx.fn.now() })
          .returning("id");
        await owe(
          trx,
          cancelled.map((row) => row.id),
        );
        return true;
      });
    },

    findBooking: (bookingId) => bookings.findBooking(bookingId),

    async refundingPayments(of) {
      const query = db<PaymentRow>({ p: TABLES.payments }).where("p.status", "refunding");
      if ("bookingId" in of) query.where("p.booking_id", of.bookingId);
      else query.join({ b: TABLES.bookings }, "b.id", "p.booking_id").where("b.event_id", of.eventId);
      const rows: PaymentRow[] = await query.orderBy("p.id").select("p.*");
      return rows.map(toRefunding);
    },

    async settleRefund(paymentId, to, providerPaymentId) {
      return db.transaction(async (trx) => {
        // The booking row first, so two of its payments settling at once see each other.
        await trx.raw(`select 1 from bookings where id = (select booking_id from payments where id = ?) for update`, [paymentId]);
        const [payment] = await trx(TABLES.payments)
          .where({ id: paymentId, status: "refunding" })
          .update({ status: to, provider_payment_id: providerPaymentId, failure_reason: to === "voided" ? "booking_cancelled_before_capture" : "booking_cancelled", next_attempt_at: null })
          .returning("booking_id");
        if (!payment) return false;
        await owe(trx, [payment.booking_id as string]);
        return true;
      });
    },

    async claimStaleRefunds(olderThan, limit, work) {
      const claimed = await claimLeasedPayments(db, { statuses: ["refunding"], olderThan, limit, countAttempt: false });
      for (const row of claimed) await work(toRefunding(row)).catch(() => undefined);
      return claimed.length;
    },

    async countStaleRefunds(olderThan) {
      const [row] = await db(TABLES.payments).where({ status: "refunding" }).where("updated_at", "<", olderThan).count<{ count: string | number }[]>({ count: "*" });
      return Number(row?.count ?? 0);
    },

    async eventRefunds(eventId) {
      const { rows } = await db.raw<{ rows: Array<{ bookings: string | number; completed: string | number; pending: string | number }> }>(
        `select count(distinct b.id) as bookings,
                count(p.id) filter (where p.status in ('refunded', 'voided')) as completed,
                count(p.id) filter (where p.status = 'refunding') as pending
           from bookings b left join payments p on p.booking_id = b.id
          where b.event_id = ? and b.cancel_reason = 'event_cancelled'`,
        [eventId],
      );
      const [row] = rows;
      return { bookingsCancelled: Number(row?.bookings ?? 0), refundsCompleted: Number(row?.completed ?? 0), refundsPending: Number(row?.pending ?? 0) };
    },
  };
}

function toRefunding(row: PaymentRow): RefundingPayment {
  return { id: row.id, bookingId: row.booking_id!, providerPaymentId: row.provider_payment_id };
}
