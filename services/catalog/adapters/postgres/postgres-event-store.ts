import type { Knex } from "knex";
import { TABLES, type EventRow, type PerformerRow, type TicketRow, type VenueRow } from "../../../shared/db/tables.js";
import type { EventStore } from "../../domain/event-reader.js";
import type { Event, Performer, StoredTicket, Venue } from "../../domain/catalog-types.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The catalog's reads on PostgreSQL (or PGlite: same SQL). */
export function createPostgresEventStore(db: Knex): EventStore {
  return {
    async findEvent(eventId) {
      if (!UUID.test(eventId)) return undefined;
      const event = await db<EventRow>(TABLES.events).where({ id: eventId }).first();
      if (!event) return undefined;
      const [venue, performers] = await Promise.all([
        db<VenueRow>(TABLES.venues).where({ id: event.venue_id }).first(),
        db<PerformerRow>(TABLES.performers)
          .join(TABLES.eventPerformers, "event_performers.performer_id", "performers.id")
          .where("event_performers.event_id", eventId)
          .orderBy("event_performers.billing_order")
          .select<PerformerRow[]>("performers.*"),
      ]);
      if (!venue) throw new Error(`event ${eventId} references missing venue ${event.venue_id}`);
      return {
        event: toEvent(event, performers.map((p) => p.id)),
        venue: toVenue(venue),
        performers: performers.map(toPerformer),
      };
    },

    async listTickets(eventId) {
      const rows = await db<TicketRow>(TABLES.tickets)
        .where({ event_id: eventId })
        .orderBy([{ column: "section" }, { column: "row_label" }, { column: "seat_number" }])
        .select("id", "section", "row_label", "seat_number", "price_minor", "currency", "status");
      return rows.map(toStoredTicket);
    },
  };
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

function toStoredTicket(row: Pick<TicketRow, "id" | "section" | "row_label" | "seat_number" | "price_minor" | "currency" | "status">): StoredTicket {
  return {
    id: row.id,
    section: row.section,
    row: row.row_label,
    seat: row.seat_number,
    priceMinor: row.price_minor,
    currency: row.currency.trim(),
    booked: row.status === "booked",
  };
}
