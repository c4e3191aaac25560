import type { Knex } from "knex";
import { TABLES } from "../../../shared/db/tables.js";
import type { EventHit } from "../../domain/event-search.js";
import { EARTH_RADIUS_KM } from "../../domain/great-circle.js";
import type { SearchQuery } from "../../domain/search-query.js";
import { performerNames, ticketSummaries } from "../../../shared/search-index/event-summaries.js";
import { EVENT_VENUE_COLUMNS, VENUE_LOCAL_DATE_SQL, type EventVenueRow } from "../../../shared/search-index/event-venue-row.js";

/** A row of the event/venue join every PostgreSQL search selects. */
export type MatchRow = EventVenueRow & { distance_km: number | null };

function distanceSql(near: NonNullable<SearchQuery["near"]>): [string, number[]] {
  return [
    `${EARTH_RADIUS_KM} * 2 * asin(least(1, sqrt(power(sin(radians(v.latitude - ?) / 2), 2) + cos(radians(?)) * cos(radians(v.latitude)) * power(sin(radians(v.longitude - ?) / 2), 2))))`,
    [near.latitude, near.latitude, near.longitude],
  ];
}

/**
 * Scheduled events joined with their venue, narrowed by everything but the term (city, type,
 * dates, distance), a page of them ordered by date or distance after the caller's own order.
 */
export function filteredEvents(db: Knex, query: SearchQuery): Knex.QueryBuilder {
  const builder = db({ e: TABLES.events })
    .join({ v: TABLES.venues }, "v.id", "e.venue_id")
    .where("e.status", "scheduled")
    .select(...EVENT_VENUE_COLUMNS);
  // Folded as the search engine's city.keyword normalizer folds it (lowercase, no accents).
  if (query.city) builder.whereRaw("lower(unaccent(v.city)) = lower(unaccent(?))", [query.city]);
  if (query.type) builder.where("e.type", query.type);
  if (query.startsAfter) builder.where("e.starts_at", ">=", query.startsAfter);
  if (query.startsBefore) builder.where("e.starts_at", "<", query.startsBefore);
  // After the start range (the index), which already spans the day on every clock.
  if (query.venueLocalDate) builder.whereRaw(`${VENUE_LOCAL_DATE_SQL} = ?::date`, [query.venueLocalDate]);
  if (query.near) {
    const [distance, bindings] = distanceSql(query.near);
    // A latitude band first: cheap, and it lets the planner skip most venues.
    const band = query.near.radiusKm / 111.2;
    builder
      .whereBetween("v.latitude", [query.near.latitude - band, query.near.latitude + band])
      .whereRaw(`${distance} <= ?`, [...bindings, query.near.radiusKm])
      .select(db.raw(`${distance} as distance_km`, bindings));
  } else {
    builder.select(db.raw("null::float8 as distance_km"));
  }
  return builder.limit(query.pageSize + 1).offset(query.offset);
}

/** Date or distance order (after any order the caller set), then id so pages never overlap. */
export function inResultOrder(builder: Knex.QueryBuilder, query: SearchQuery): Knex.QueryBuilder {
  if (query.sort === "distance") builder.orderBy([{ column: "distance_km" }, { column: "e.starts_at" }]);
  else builder.orderBy("e.starts_at");
  return builder.orderBy("e.id");
}

/** The result rows with their line-ups and "from" prices (two grouped reads for the page). */
export async function toHits(db: Knex, rows: readonly MatchRow[]): Promise<EventHit[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [prices, performers] = await Promise.all([ticketSummaries(db, ids), performerNames(db, ids)]);
  return rows.map((row): EventHit => {
    const price = prices.get(row.id);
    const hit: EventHit = {
      id: row.id,
      name: row.name,
      type: row.type,
      startsAt: row.starts_at,
      venueName: row.venue_name,
      venueTimeZone: row.venue_timezone,
      city: row.city,
      latitude: row.latitude,
      longitude: row.longitude,
      performers: performers.get(row.id) ?? [],
      lowestPriceMinor: price?.lowest ?? null,
      currency: row.currency.trim(),
      ticketsAvailable: price?.available ?? false,
    };
    if (row.distance_km !== null && row.distance_km !== undefined) hit.distanceKm = Number(row.distance_km);
    return hit;
  });
}
