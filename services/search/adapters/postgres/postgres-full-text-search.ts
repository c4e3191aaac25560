import type { Knex } from "knex";
import { TABLES } from "../../../shared/db/tables.js";
import type { EventHit, SearchBackend } from "../../domain/event-search.js";
import type { EventTypeName, SearchQuery } from "../../domain/search-query.js";

const EARTH_RADIUS_KM = 6371;

/**
 * Search on PostgreSQL: the tsvector the triggers maintain (GIN), prefix terms for type-ahead,
 * trigram similarity on the name for typos, great-circle distance for "near". The embedded
 * default and the fallback when the search engine is down; never LIKE '%term%'.
 */
export function createPostgresFullTextSearch(db: Knex): SearchBackend {
  return {
    name: "postgres",
    async search(query) {
      const rows = await matchingEvents(db, query);
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
    },
  };
}

interface MatchRow {
  id: string;
  name: string;
  type: EventTypeName;
  starts_at: Date;
  currency: string;
  venue_name: string;
  city: string;
  latitude: number;
  longitude: number;
  distance_km: number | null;
}

/** "tayl swi" → "tayl:* & swi:*": every word must match, each as a prefix. */
export function prefixTsQuery(term: string): string {
  return term
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 16)
    .map((word) => `${word}:*`)
    .join(" & ");
}

function distanceSql(near: NonNullable<SearchQuery["near"]>): [string, number[]] {
  return [
    `${EARTH_RADIUS_KM} * 2 * asin(sqrt(power(sin(radians(v.latitude - ?) / 2), 2) + cos(radians(?)) * cos(radians(v.latitude)) * power(sin(radians(v.longitude - ?) / 2), 2)))`,
    [near.latitude, near.latitude, near.longitude],
  ];
}

async function matchingEvents(db: Knex, query: SearchQuery): Promise<MatchRow[]> {
  const tsQuery = prefixTsQuery(query.term);
  const builder = db({ e: TABLES.events })
    .join({ v: TABLES.venues }, "v.id", "e.venue_id")
    .where("e.status", "scheduled")
    .select("e.id", "e.name", "e.type", "e.starts_at", "e.currency", "v.name as venue_name", "v.city", "v.latitude", "v.longitude");

  if (query.term) {
    if (tsQuery) {
      builder.where((w) =>
        w.whereRaw("e.search_vector @@ to_tsquery('english', ?)", [tsQuery]).orWhereRaw("e.name % ?", [query.term]),
      );
    } else {
      builder.whereRaw("e.name % ?", [query.term]);
    }
    builder.select(
      db.raw(
        tsQuery
          ? "ts_rank_cd(e.search_vector, to_tsquery('english', ?)) + similarity(e.name, ?) as rank"
          : "similarity(e.name, ?) as rank",
        tsQuery ? [tsQuery, query.term] : [query.term],
      ),
    );
  }
  if (query.city) builder.whereRaw("lower(v.city) = lower(?)", [query.city]);
  if (query.type) builder.where("e.type", query.type);
  if (query.startsAfter) builder.where("e.starts_at", ">=", query.startsAfter);
  if (query.startsBefore) builder.where("e.starts_at", "<", query.startsBefore);
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

  if (query.sort === "relevance") builder.orderBy([{ column: "rank", order: "desc" }, { column: "e.starts_at" }]);
  else if (query.sort === "distance") builder.orderBy([{ column: "distance_km" }, { column: "e.starts_at" }]);
  else builder.orderBy("e.starts_at");
  builder.orderBy("e.id");

  return builder.limit(query.pageSize + 1).offset(query.offset);
}

async function ticketSummaries(db: Knex, eventIds: string[]) {
  const rows: Array<{ event_id: string; lowest: number | null; available: boolean }> = await db(TABLES.tickets)
    .whereIn("event_id", eventIds)
    .groupBy("event_id")
    .select(
      "event_id",
      db.raw("min(price_minor) filter (where status = 'available') as lowest"),
      db.raw("bool_or(status = 'available') as available"),
    );
  return new Map(rows.map((row) => [row.event_id, { lowest: row.lowest === null ? null : Number(row.lowest), available: row.available }]));
}

async function performerNames(db: Knex, eventIds: string[]) {
  const rows: Array<{ event_id: string; name: string }> = await db({ ep: TABLES.eventPerformers })
    .join({ p: TABLES.performers }, "p.id", "ep.performer_id")
    .whereIn("ep.event_id", eventIds)
    .orderBy(["ep.event_id", "ep.billing_order"])
    .select("ep.event_id", "p.name");
  const names = new Map<string, string[]>();
  for (const row of rows) names.set(row.event_id, [...(names.get(row.event_id) ?? []), row.name]);
  return names;
}
