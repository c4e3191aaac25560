import type { Knex } from "knex";
import { TABLES } from "../../../shared/db/tables.js";
import type { EventHit, SearchBackend } from "../../domain/event-search.js";
import { EARTH_RADIUS_KM } from "../../domain/great-circle.js";
import { queryWords } from "../../domain/query-words.js";
import type { EventTypeName, SearchQuery } from "../../domain/search-query.js";
import { performerNames, ticketSummaries } from "./event-summaries.js";
import { typoCorrections } from "./typo-corrections.js";

/**
 * Search on PostgreSQL: the tsvector the triggers maintain (GIN), every word as a prefix for
 * type-ahead, typos corrected to known words by trigram similarity, great-circle distance for
 * "near". The embedded default and the fallback when the search engine is down; never
 * LIKE '%term%'.
 */
export function createPostgresFullTextSearch(db: Knex): SearchBackend {
  return {
    async search(query) {
      const rows = await matchingEvents(db, query);
      const answer = { backend: "postgres", degraded: false };
      if (rows.length === 0) return { ...answer, hits: [] };
      const ids = rows.map((row) => row.id);
      const [prices, performers] = await Promise.all([ticketSummaries(db, ids), performerNames(db, ids)]);
      const hits = rows.map((row): EventHit => {
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
      return { ...answer, hits };
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

/**
 * "tayl caloway" → "tayl:* & (caloway:* | calloway)": every word must match, each as a prefix
 * or as one of the known words it is a typo of.
 */
export function fullTextQuery(words: readonly string[], corrections: ReadonlyMap<string, readonly string[]>): string {
  return words
    .map((word) => {
      const alternatives = [`${word}:*`, ...(corrections.get(word) ?? [])];
      return alternatives.length > 1 ? `(${alternatives.join(" | ")})` : alternatives[0]!;
    })
    .join(" & ");
}

function distanceSql(near: NonNullable<SearchQuery["near"]>): [string, number[]] {
  return [
    `${EARTH_RADIUS_KM} * 2 * asin(least(1, sqrt(power(sin(radians(v.latitude - ?) / 2), 2) + cos(radians(?)) * cos(radians(v.latitude)) * power(sin(radians(v.longitude - ?) / 2), 2))))`,
    [near.latitude, near.latitude, near.longitude],
  ];
}

async function matchingEvents(db: Knex, query: SearchQuery): Promise<MatchRow[]> {
  const builder = db({ e: TABLES.events })
    .join({ v: TABLES.venues }, "v.id", "e.venue_id")
    .where("e.status", "scheduled")
    .select("e.id", "e.name", "e.type", "e.starts_at", "e.currency", "v.name as venue_name", "v.city", "v.latitude", "v.longitude");

  if (query.term) {
    const words = queryWords(query.term);
    if (words.length === 0) return [];
    const tsQuery = fullTextQuery(words, await typoCorrections(db, words));
    builder
      .whereRaw("e.search_vector @@ to_tsquery('english', ?)", [tsQuery])
      // The name's trigram similarity to the whole term lifts events whose name is what was typed.
      .select(db.raw("ts_rank_cd(e.search_vector, to_tsquery('english', ?)) + similarity(e.name, ?) as rank", [tsQuery, query.term]));
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
