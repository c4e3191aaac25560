import type { EventInsert, VenueInsert } from "../../../shared/db/tables.js";
import type { Event, Venue } from "../../domain/catalog-types.js";

/** Domain → row for the catalog's writes (admin APIs and the demo seeder alike). */

export type VenueRowInput = Omit<VenueInsert, "seat_map"> & { seat_map: string };

export function venueRow(venue: Omit<Venue, "id"> & { id?: string }): VenueRowInput {
  return {
    ...(venue.id === undefined ? {} : { id: venue.id }),
    name: venue.name,
    address: venue.address,
    city: venue.city,
    country: venue.country,
    latitude: venue.latitude,
    longitude: venue.longitude,
    timezone: venue.timezone,
    capacity: venue.capacity,
    // A JSON string reaches jsonb unchanged on both drivers, whatever the value's shape.
    seat_map: JSON.stringify(venue.seatMap),
  };
}

export type EventRowInput = Pick<Event, "name" | "description" | "type" | "venueId" | "startsAt" | "endsAt" | "onSaleAt" | "highDemand" | "currency"> & Partial<Pick<Event, "purchaseLimit">> & {
  id?: string;
};

export function eventRow(event: EventRowInput): EventInsert {
  return {
    ...(event.id === undefined ? {} : { id: event.id }),
    name: event.name,
    description: event.description,
    type: event.type,
    venue_id: event.venueId,
    starts_at: event.startsAt,
    ends_at: event.endsAt,
    on_sale_at: event.onSaleAt,
    high_demand: event.highDemand,
    ...(event.purchaseLimit === undefined ? {} : { purchase_limit: event.purchaseLimit }),
    currency: event.currency,
  };
}
