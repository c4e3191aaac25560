import type { Knex } from "knex";
import { cancellableReads } from "../../../shared/db/cancellable-reads.js";
import { TABLES, type EventRow, type PerformerRow, type TicketRow, type VenueRow } from "../../../shared/db/tables.js";
import type { EventStore } from "../../domain/event-reader.js";
import type { Event, EventStatic, Performer, TicketSeat, Venue } from "../../domain/catalog-types.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** The catalog's reads on PostgreSQL (or PGlite: same SQL). */
export function createPostgresEventStore(db: Knex): EventStore {
  return {
    async loadEvent(eventId, signal) {
      if (!isUuid(eventId)) return undefined;
      // A stadium's tickets are tens of thousands of rows: cancelled in PostgreSQL when every caller has left.
      return cancellableReads(db, signal, (session) => loadEventOn(session, eventId));
    },

    async bookedTicketIds(eventId) {
      // tickets_event_id_status_idx: only the booked rows are visited.
      return db<TicketRow>(TABLES.tickets).where({ event_id: eventId, status: "booked" }).pluck("id");
    },

    async bookedAmong(eventId, ticketIds) {
      if (ticketIds.length === 0) return [];
      return db<TicketRow>(TABLES.tickets)
        .where({ event_id: eventId, status: "booked" })
        .whereRaw("id = ANY(?::uuid[])", [ticketIds as string[]])
        .pluck("id");
    },
  };
}

/** One event's static part: on a pinned session when the caller can cancel (cancellable-reads.ts). */
async function loadEventOn(db: Knex, eventId: string): Promise<EventStatic | undefined> {
  const event = await db<EventRow>(TABLES.events).where({ id: eventId }).first();
  if (!event) return undefined;
  const [venue, performers, tickets] = await Promise.all([
    db<VenueRow>(TABLES.venues).where({ id: event.venue_id }).first(),
    performersOf(db, eventId),
    db<TicketRow>(TABLES.tickets)
      .where({ event_id: eventId })
      .select("id", "section", "row_label", "seat_number", "price_minor", "currency"),
  ]);
  if (!venue) throw new Error(`event ${eventId} references missing venue ${event.venue_id}`);
  return {
    event: toEvent(event, performers.map((p) => p.id)),
    venue: toVenue(venue),
    performers: performers.map(toPerformer),
    tickets: tickets.map(toTicketSeat),
  };
}

export function performersOf(db: Knex | Knex.Transaction, eventId: string): Promise<PerformerRow[]> {
  return db<PerformerRow>(TABLES.performers)
    .join(TABLES.eventPerformers, "event_performers.performer_id", "performers.id")
    .where("event_performers.event_id", eventId)
    .orderBy("event_performers.billing_order")
    .select<PerformerRow[]>("performers.*");
}

export function toEvent(row: EventRow, performerIds: string[]): Event {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    status: row.status,
    venueId: row.venue_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    onSaleAt: row.on_sale_at,
    highDemand: row.high_demand,
    purchaseLimit: row.purchase_limit,
    currency: row.currency.trim(),
    performerIds,
  };
}

export function toVenue(row: VenueRow): Venue {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    city: row.city,
    country: row.country.trim(),
    latitude: row.latitude,
    longitude: row.longitude,
    timezone: row.timezone,
    capacity: row.capacity,
    seatMap: row.seat_map,
  };
}

export function toPerformer(row: PerformerRow): Performer {
  return { id: row.id, name: row.name, genre: row.genre, description: row.description };
}

function toTicketSeat(row: Pick<TicketRow, "id" | "section" | "row_label" | "seat_number" | "price_minor" | "currency">): TicketSeat {
  return {
    id: row.id,
    section: row.section,
    row: row.row_label,
    seat: row.seat_number,
    priceMinor: row.price_minor,
    currency: row.currency.trim(),
  };
}
