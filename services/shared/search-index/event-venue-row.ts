import type { EventType } from "../db/tables.js";

/** An event joined with its venue (`e`, `v`): what a result row and a search document start from. */
export interface EventVenueRow {
  id: string;
  name: string;
  type: EventType;
  starts_at: Date;
  currency: string;
  venue_name: string;
  /** The venue's IANA time zone: the clock its events' times are read on. */
  venue_timezone: string;
  city: string;
  latitude: number;
  longitude: number;
}

/** The columns of an EventVenueRow, for `select` over `events e join venues v`. */
export const EVENT_VENUE_COLUMNS = ["e.id", "e.name", "e.type", "e.starts_at", "e.currency", "v.name as venue_name", "v.timezone as venue_timezone", "v.city", "v.latitude", "v.longitude"];

/**
 * The day an event starts on by its venue's clock, as a date. Both the PostgreSQL search and the
 * indexer (for the engine's documents) use this one expression, so both backends agree on every
 * zone and DST rule: PostgreSQL's time zone data decides for both.
 */
export const VENUE_LOCAL_DATE_SQL = "(e.starts_at AT TIME ZONE v.timezone)::date";
