import type { Knex } from "knex";
import { cancellableReads } from "../../../shared/db/cancellable-reads.js";
import type { SearchBackend } from "../../domain/event-search.js";
import { queryWords } from "../../domain/query-words.js";
import type { SearchQuery } from "../../domain/search-query.js";
import { filteredEvents, inResultOrder, toHits, type MatchRow } from "./event-filters.js";
import { typoCorrections } from "./typo-corrections.js";
import { SEARCH_TEXT_CONFIG } from "../../../shared/db/migrations/009-search-accent-folding.migration.js";

/**
 * Search on PostgreSQL: the tsvector the triggers maintain (GIN), every word as a prefix for
 * type-ahead, typos corrected to known words by trigram similarity, great-circle distance for
 * "near". The embedded default and the fallback when the search engine is down; never
 * LIKE '%term%'.
 */
export function createPostgresFullTextSearch(db: Knex): SearchBackend {
  return {
    async search(query, signal) {
      // Cancelled in PostgreSQL when the caller leaves: a slow full-text query does not run on for nobody.
      return cancellableReads(db, signal, async (session) => {
        const rows = await matchingEvents(session, query);
        return { backend: "postgres", degraded: false, hits: await toHits(session, rows) };
      });
    },
  };
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

async function matchingEvents(db: Knex, query: SearchQuery): Promise<MatchRow[]> {
  const builder = filteredEvents(db, query);
  if (query.term) {
    const words = queryWords(query.term);
    if (words.length === 0) return [];
    const tsQuery = fullTextQuery(words, await typoCorrections(db, words));
    builder
      .whereRaw("e.search_vector @@ to_tsquery(?::regconfig, ?)", [SEARCH_TEXT_CONFIG, tsQuery])
      // Cover density over the weighted vector: name and line-up (A) above venue (B) above description (C).
      .select(db.raw("ts_rank_cd(e.search_vector, to_tsquery(?::regconfig, ?)) as rank", [SEARCH_TEXT_CONFIG, tsQuery]));
    if (query.sort === "relevance") builder.orderBy([{ column: "rank", order: "desc" }]);
  }
  return inResultOrder(builder, query);
}
