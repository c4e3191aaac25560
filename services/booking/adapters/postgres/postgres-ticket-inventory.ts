import type { Knex } from "knex";
import { TABLES, type EventRow, type TicketRow, type VenueRow } from "../../../shared/db/tables.js";
import type { TicketInventory } from "../../domain/booking-ports.js";
import type { Booking, InventoryTicket, SaleEvent } from "../../domain/booking-types.js";
import { createPostgresBookingStore } from "./postgres-booking-store.js";

type SaleEventRow = Pick<EventRow, "id" | "name" | "status" | "on_sale_at" | "starts_at" | "high_demand" | "purchase_limit"> & Pick<VenueRow, "timezone"> & { section_names: Record<string, string> };
const SALE_EVENT_COLUMNS = ["e.id", "e.name", "e.status", "e.on_sale_at", "e.starts_at", "e.high_demand", "e.purchase_limit", "v.timezone"];

function toSaleEvent(row: SaleEventRow): SaleEvent {
  // Timestamps arrive as Date from a column, as text from json_build_object: both read the same.
  return { id: row.id, name: row.name, status: row.status, onSaleAt: row.on_sale_at && new Date(row.on_sale_at), startsAt: new Date(row.starts_at), timeZone: row.timezone, sectionNames: row.section_names, highDemand: row.high_demand, purchaseLimit: row.purchase_limit };
}

function toInventoryTicket(row: Pick<TicketRow, "id" | "event_id" | "section" | "row_label" | "seat_number" | "price_minor" | "currency" | "status">): InventoryTicket {
  return {
    id: row.id,
    eventId: row.event_id,
    section: row.section,
    row: row.row_label,
    seat: row.seat_number,
    priceMinor: row.price_minor,
    currency: row.currency.trim(),
    booked: row.status === "booked",
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = "23505";
// statement_timeout and lock_timeout (database.ts SessionTimeouts): the transaction was stopped and rolled back.
const STOPPED_BY_TIMEOUT = new Set(["57014", "55P03"]);
/** Raised by migration 014's trigger: the event was cancelled before the booking could commit. */
const EVENT_CANCELLED = "BX001";

/** Tickets and bookings in PostgreSQL: the single source of truth for who owns a seat. */
export function createPostgresTicketInventory(db: Knex): TicketInventory {
  const bookings = createPostgresBookingStore(db);
  const sectionNames = db.raw(
    "coalesce((select jsonb_object_agg(s ->> 'code', s ->> 'name') from jsonb_array_elements(v.seat_map -> 'sections') as s), '{}'::jsonb) as section_names",
  );
  return {
    async findOrder(eventId, ticketIds) {
      const ids = ticketIds.filter((id) => UUID.test(id));
      if (!UUID.test(eventId)) return { event: undefined, tickets: [] };
      // The event and the order's tickets in one round trip: confirm asks for both every time.
      const row = await db(`${TABLES.events} as e`)
        .join(`${TABLES.venues} as v`, "v.id", "e.venue_id")
        .where("e.id", eventId)
        .first<(SaleEventRow & { tickets: TicketRow[] }) | undefined>(
          ...SALE_EVENT_COLUMNS,
          sectionNames,
          db.raw(
            `coalesce((select json_agg(json_build_object('id', t.id, 'event_id', t.event_id, 'section', t.section, 'row_label', t.row_label,
               'seat_number', t.seat_number, 'price_minor', t.price_minor, 'currency', t.currency, 'status', t.status))
             from ${TABLES.tickets} t where t.id = any(?::uuid[])), '[]'::json) as tickets`,
            [ids],
          ),
        );
      return row ? { event: toSaleEvent(row), tickets: row.tickets.map(toInventoryTicket) } : { event: undefined, tickets: [] };
    },

    async findEvent(eventId) {
      if (!UUID.test(eventId)) return undefined;
      // Only the venue's section names travel, not its whole seat map (a stadium's is large).
      const row = await db(`${TABLES.events} as e`)
        .join(`${TABLES.venues} as v`, "v.id", "e.venue_id")
        .where("e.id", eventId)
        .first<SaleEventRow | undefined>(...SALE_EVENT_COLUMNS, sectionNames);
      return row ? toSaleEvent(row) : undefined;
    },

    async findTickets(ticketIds) {
      const ids = ticketIds.filter((id) => UUID.test(id));
      if (ids.length === 0) return [];
      const rows = await db<TicketRow>(TABLES.tickets)
        .whereIn("id", ids)
        .select("id", "event_id", "section", "row_label", "seat_number", "price_minor", "currency", "status");
      return rows.map(toInventoryTicket);
    },

    findBookingByIdempotencyKey: (userId, key) => bookings.findBookingByIdempotencyKey(userId, key),

    async countBought(userId, eventId) {
      if (!UUID.test(eventId)) return 0;
      const row = await db(`${TABLES.tickets} as t`)
        .join(`${TABLES.bookings} as b`, "b.id", "t.booking_id")
        .where({ "b.user_id": userId, "b.event_id": eventId, "b.status": "confirmed" })
        .first<{ bought: string | number }>(db.raw("count(*) as bought"));
      return Number(row?.bought ?? 0);
    },

    async bookTickets(order) {
      try {
        // One round trip: the function (migration 010) runs the whole transaction.
        const result = await db.raw<{
          rows: Array<{ outcome: "booked" | "seat_taken" | "payment_not_authorized" | "purchase_limit"; booked_at: Date | null; bought: number | null; purchase_limit: number | null }>;
        }>(
          "select outcome, booked_at, bought, purchase_limit from book_tickets(?, ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid[], ?::integer[])",
          [
            order.bookingId,
            order.userId,
            order.eventId,
            order.totalMinor,
            order.currency,
            order.idempotencyKey,
            order.reservationId,
            order.paymentId,
            order.providerPaymentId,
            order.tickets.map((ticket) => ticket.id),
            order.tickets.map((ticket) => ticket.priceMinor),
          ],
        );
        const [row] = result.rows;
        // Like a taken seat, a refusal by the limit comes after the authorization was recorded.
        if (row?.outcome === "purchase_limit") return { kind: "lost", reason: "purchase_limit", paymentRecorded: true, bought: row.bought!, limit: row.purchase_limit! };
        if (row?.outcome !== "booked") return { kind: "lost", reason: row?.outcome ?? "seat_taken", paymentRecorded: row?.outcome === "seat_taken" };
        const booking: Booking = {
          id: order.bookingId,
          userId: order.userId,
          eventId: order.eventId,
          status: "confirmed",
          totalMinor: order.totalMinor,
          currency: order.currency,
          createdAt: row.booked_at!,
          tickets: order.tickets.map((ticket) => ({
            ticketId: ticket.id,
            section: ticket.section,
            row: ticket.row,
            seat: ticket.seat,
            priceMinor: ticket.priceMinor,
          })),
        };
        return { kind: "booked", booking };
      } catch (error) {
        // Rolled back whole, the authorization's record with it: the payment is still 'pending'.
        if ((error as { code?: string }).code === EVENT_CANCELLED) return { kind: "lost", reason: "event_cancelled", paymentRecorded: false };
        // The unique index on active booking items is the last guard if the update were wrong;
        // the transaction rolled back whole, the authorization with it.
        if ((error as { code?: string }).code === UNIQUE_VIOLATION && /booking_items/.test(String((error as Error).message))) {
          return { kind: "lost", reason: "seat_taken", paymentRecorded: false };
        }
        if (STOPPED_BY_TIMEOUT.has((error as { code?: string }).code ?? "")) return { kind: "lost", reason: "database_busy", paymentRecorded: false };
        throw error;
      }
    },
  };
}

