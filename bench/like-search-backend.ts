import type { Knex } from "knex";
import { filteredEvents, inResultOrder, toHits } from "../services/search/adapters/postgres/event-filters.js";
import type { SearchBackend } from "../services/search/domain/event-search.js";

/**
 * The seed's baseline: `LIKE '%term%'` over event name, description, venue and performer
 * names. No index can serve a leading wildcard across a join, so each query scans; no typo
 * tolerance, no ranking beyond date. Only for the benchmark.
 */
export function createLikeSearch(db: Knex): SearchBackend {
  return {
    async search(query) {
      const builder = filteredEvents(db, query);
      if (query.term) {
        const pattern = `%${query.term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        builder.where((match) =>
          match
            .where("e.name", "ilike", pattern)
            .orWhere("e.description", "ilike", pattern)
            .orWhere("v.name", "ilike", pattern)
            .orWhereIn(
              "e.id",
              db("event_performers as ep").join("performers as p", "p.id", "ep.performer_id").where("p.name", "ilike", pattern).select("ep.event_id"),
            ),
        );
      }
      const rows = await inResultOrder(builder, query);
      return { backend: "like", degraded: false, hits: await toHits(db, rows) };
    },
  };
}
