import type { EventType } from "../db/tables.js";

/** An event joined with its venue (`e`, `v`): what a result row and a search document start from. */
export interface EventVenueRow {
  id: string;
  name: string;
  type: EventType;
  starts_at: Date;
  currency: string;
  venue_name: string;
  city: string;
  latitude: number;
  longitude: number;
}

/** The columns of an EventVenueRow, for `select` over `events e join venues v`. */
export const EVENT_VENUE_COLUMNS = ["e.id", "e.name", "e.type", "e.starts_at", "e.currency", "v.name as venue_name", "v.city", "v.latitude", "v.longitude"];
