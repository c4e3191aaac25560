import type { Knex } from "knex";
import { TABLES, type EventStatus } from "../shared/db/tables.js";
import type { EventDocument } from "../shared/search-index/event-document.js";
import { performerNames, ticketSummaries } from "../shared/search-index/event-summaries.js";
import { EVENT_VENUE_COLUMNS, VENUE_LOCAL_DATE_SQL, type EventVenueRow } from "../shared/search-index/event-venue-row.js";

/** Ids per round trip: bounded statements and bulk requests. */
export const DOCUMENT_CHUNK = 1_000;

type EventRowWithVenue = EventVenueRow & { description: string; status: EventStatus; venue_local_date: string };

/** The current search documents of these events, as the database has them; missing ids are deleted events. */
export async function loadEventDocuments(db: Knex, eventIds: readonly string[]): Promise<EventDocument[]> {
  if (eventIds.length === 0) return [];
  const rows: EventRowWithVenue[] = await db({ e: TABLES.events })
    .join({ v: TABLES.venues }, "v.id", "e.venue_id")
    .whereIn("e.id", eventIds)
    .select(...EVENT_VENUE_COLUMNS, "e.description", "e.status", db.raw(`to_char(${VENUE_LOCAL_DATE_SQL}, 'YYYY-MM-DD') as venue_local_date`));
  const [prices, performers] = await Promise.all([ticketSummaries(db, eventIds), performerNames(db, eventIds)]);
  return rows.map((row) => {
    const price = prices.get(row.id);
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      type: row.type,
      status: row.status,
      starts_at: row.starts_at.toISOString(),
      venue_local_date: row.venue_local_date,
      venue_name: row.venue_name,
      venue_timezone: row.venue_timezone,
      city: row.city,
      location: { lat: row.latitude, lon: row.longitude },
      performers: performers.get(row.id) ?? [],
      lowest_price_minor: price?.lowest ?? null,
      currency: row.currency.trim(),
      tickets_available: price?.available ?? false,
    };
  });
}

/** Every event id in key order, a page at a time (keyset paging: no offset to rescan). */
export async function* allEventIds(db: Knex, pageSize = DOCUMENT_CHUNK): AsyncGenerator<string[]> {
  let after: string | undefined;
  for (;;) {
    const query = db(TABLES.events).orderBy("id").limit(pageSize);
    if (after) query.where("id", ">", after);
    const ids: string[] = await query.pluck("id");
    if (ids.length === 0) return;
    yield ids;
    after = ids[ids.length - 1];
  }
}

/** The events that show these venues or performers. */
export async function eventsShowing(db: Knex, venueIds: readonly string[], performerIds: readonly string[]): Promise<string[]> {
  const [atVenues, withPerformers] = await Promise.all([
    venueIds.length > 0 ? db(TABLES.events).whereIn("venue_id", venueIds).pluck("id") : [],
    performerIds.length > 0 ? db(TABLES.eventPerformers).whereIn("performer_id", performerIds).distinct().pluck("event_id") : [],
  ]);
  return [...atVenues, ...withPerformers] as string[];
}

export function* chunks<T>(items: readonly T[], size = DOCUMENT_CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
