import type { Knex } from "knex";
import { TABLES, type EventRow, type TicketRow, type VenueRow } from "../../../shared/db/tables.js";
import type { TicketInventory } from "../../domain/booking-ports.js";
import type { Booking, InventoryTicket, SaleEvent } from "../../domain/booking-types.js";
import { createPostgresBookingStore } from "./postgres-booking-store.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = "23505";

/** Tickets and bookings in PostgreSQL: the single source of truth for who owns a seat. */
export function createPostgresTicketInventory(db: Knex): TicketInventory {
  const bookings = createPostgresBookingStore(db);
  return {
    async findEvent(eventId) {
      if (!UUID.test(eventId)) return undefined;
      // Only the venue's section names travel, not its whole seat map (a stadium's is large).
      const row = await db(`${TABLES.events} as e`)
        .join(`${TABLES.venues} as v`, "v.id", "e.venue_id")
        .where("e.id", eventId)
        .first<(Pick<EventRow, "id" | "name" | "status" | "on_sale_at" | "starts_at"> & Pick<VenueRow, "timezone"> & { section_names: Record<string, string> }) | undefined>(
          "e.id",
          "e.name",
          "e.status",
          "e.on_sale_at",
          "e.starts_at",
          "v.timezone",
          db.raw(
            "coalesce((select jsonb_object_agg(s ->> 'code', s ->> 'name') from jsonb_array_elements(v.seat_map -> 'sections') as s), '{}'::jsonb) as section_names",
          ),
        );
      if (!row) return undefined;
      return {
        id: row.id,
        name: row.name,
        status: row.status,
        onSaleAt: row.on_sale_at,
        startsAt: row.starts_at,
        timeZone: row.timezone,
        sectionNames: row.section_names,
      } satisfies SaleEvent;
    },

    async findTickets(ticketIds) {
      const ids = ticketIds.filter((id) => UUID.test(id));
      if (ids.length === 0) return [];
      const rows = await db<TicketRow>(TABLES.tickets)
        .whereIn("id", ids)
        .select("id", "event_id", "section", "row_label", "seat_number", "price_minor", "currency", "status");
      return rows.map(
        (row): InventoryTicket => ({
          id: row.id,
          eventId: row.event_id,
          section: row.section,
          row: row.row_label,
          seat: row.seat_number,
          priceMinor: row.price_minor,
          currency: row.currency.trim(),
          booked: row.status === "booked",
        }),
      );
    },

    findBookingByIdempotencyKey: (userId, key) => bookings.findBookingByIdempotencyKey(userId, key),

    async bookTickets(order) {
      const ticketIds = order.tickets.map((ticket) => ticket.id);
      try {
        return await db.transaction(async (trx) => {
          const [inserted] = await trx(TABLES.bookings)
            .insert({
              id: order.bookingId,
              user_id: order.userId,
              event_id: order.eventId,
              total_minor: order.totalMinor,
              currency: order.currency,
              idempotency_key: order.idempotencyKey,
              reservation_id: order.reservationId,
            })
            .returning<Array<{ created_at: Date }>>("created_at");
          // Lock the rows in one order for every buyer, so overlapping orders queue instead of deadlocking.
          await trx(TABLES.tickets).whereRaw("id = any(?::uuid[])", [ticketIds]).orderBy("id").forUpdate().select("id");
          // The conditional update of DESIGN.md (one array parameter, whatever the order size);
          // bench/booking-bench.ts runs the same statement under pgbench.
          const updated = await trx(TABLES.tickets)
            .whereRaw("id = any(?::uuid[])", [ticketIds])
            .andWhere({ event_id: order.eventId, status: "available" })
            .update({ status: "booked", booking_id: order.bookingId, version: trx.raw("version + 1") });
          if (updated !== ticketIds.length) throw new Lost("seat_taken");
          await trx(TABLES.bookingItems).insert(
            order.tickets.map((ticket) => ({ booking_id: order.bookingId, ticket_id: ticket.id, price_minor: ticket.priceMinor })),
          );
          // The recovery worker may have voided a payment that took too long: then nobody books.
          const tied = await trx(TABLES.payments).where({ id: order.paymentId, status: "authorized" }).update({ booking_id: order.bookingId });
          if (tied !== 1) throw new Lost("payment_not_authorized");
          const booking: Booking = {
            id: order.bookingId,
            userId: order.userId,
            eventId: order.eventId,
            status: "confirmed",
            totalMinor: order.totalMinor,
            currency: order.currency,
            createdAt: inserted!.created_at,
            tickets: order.tickets.map((ticket) => ({
              ticketId: ticket.id,
              section: ticket.section,
              row: ticket.row,
              seat: ticket.seat,
              priceMinor: ticket.priceMinor,
            })),
          };
          return { kind: "booked" as const, booking };
        });
      } catch (error) {
        if (error instanceof Lost) return { kind: "lost", reason: error.reason };
        // The unique index on active booking items is the last guard if the update above were wrong.
        if ((error as { code?: string }).code === UNIQUE_VIOLATION && /booking_items/.test(String((error as Error).message))) {
          return { kind: "lost", reason: "seat_taken" };
        }
        throw error;
      }
    },
  };
}

class Lost extends Error {
  constructor(readonly reason: "seat_taken" | "payment_not_authorized") {
    super(reason);
  }
}
