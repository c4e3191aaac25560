import type { EventStatus, EventType } from "../db/tables.js";

/**
 * One event as the search engine stores it: everything a result row shows and a query filters
 * on. The indexer writes it (services/indexer/event-documents.ts), the search service reads it.
 */
export interface EventDocument {
  id: string;
  name: string;
  description: string;
  type: EventType;
  status: EventStatus;
  starts_at: string;
  /** The day starts_at falls on by the venue's clock (YYYY-MM-DD): what a search by date matches. */
  venue_local_date: string;
  venue_name: string;
  /** The venue's IANA time zone, for showing starts_at on its clock. */
  venue_timezone: string;
  city: string;
  location: { lat: number; lon: number };
  performers: string[];
  lowest_price_minor: number | null;
  currency: string;
  tickets_available: boolean;
}
