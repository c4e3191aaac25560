import type { Knex } from "knex";
import { TABLES, type BookingRow } from "../../../shared/db/tables.js";
import type { BookingStore } from "../../domain/booking-reader.js";
import type { Booking } from "../../domain/booking-types.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createPostgresBookingStore(db: Knex) {
  async function findBookingIn(conn: Knex | Knex.Transaction, bookingId: string): Promise<Booking | undefined> {
    if (!UUID.test(bookingId)) return undefined;
    const row = await conn<BookingRow>(TABLES.bookings).where({ id: bookingId }).first();
    return row ? (await withTickets(conn, [row]))[0] : undefined;
  }

  return {
    findBooking: (bookingId: string) => findBookingIn(db, bookingId),

    async findBookingByIdempotencyKey(userId: string, idempotencyKey: string) {
      const row = await db<BookingRow>(TABLES.bookings).where({ user_id: userId, idempotency_key: idempotencyKey }).first();
      return row ? (await withTickets(db, [row]))[0] : undefined;
    },

    async listBookings(userId: string, limit: number, before?: { createdAt: Date; id: string }) {
      const query = db<BookingRow>(TABLES.bookings).where({ user_id: userId });
      if (before) query.whereRaw("(created_at, id) < (?, ?)", [before.createdAt, before.id]);
      const rows = await query.orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }]).limit(limit);
      return withTickets(db, rows);
    },
  } satisfies BookingStore & Record<string, unknown>;
}

async function withTickets(conn: Knex | Knex.Transaction, rows: BookingRow[]): Promise<Booking[]> {
  if (rows.length === 0) return [];
  const items: Array<{ booking_id: string; ticket_id: string; price_minor: number; section: string; row_label: string | null; seat_number: number | null }> =
    await conn({ i: TABLES.bookingItems })
      .join({ t: TABLES.tickets }, "t.id", "i.ticket_id")
      .whereIn(
        "i.booking_id",
        rows.map((row) => row.id),
      )
      .orderBy(["t.section", "t.row_label", "t.seat_number"])
      .select("i.booking_id", "i.ticket_id", "i.price_minor", "t.section", "t.row_label", "t.seat_number");
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    eventId: row.event_id,
    status: row.status,
    totalMinor: row.total_minor,
    currency: row.currency.trim(),
    createdAt: row.created_at,
    ...(row.cancel_reason && row.cancelled_at
      ? { cancellation: { reason: row.cancel_reason, cancelledAt: row.cancelled_at, refundedAt: row.refunded_at } }
      : {}),
    tickets: items
      .filter((item) => item.booking_id === row.id)
      .map((item) => ({
        ticketId: item.ticket_id,
        section: item.section,
        row: item.row_label,
        seat: item.seat_number,
        priceMinor: item.price_minor,
      })),
  }));
}
