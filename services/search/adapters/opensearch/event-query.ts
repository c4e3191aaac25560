import { queryWords, toleratesTypo } from "../../domain/query-words.js";
import type { SearchQuery } from "../../domain/search-query.js";

// Field weights: what an event is called and who plays count most, then where, then the blurb.
const WORD_FIELDS = ["name^3", "performers^3", "venue_name^2", "city^2", "description"];
const PREFIX_FIELDS = ["name.prefix^2", "performers.prefix^2", "venue_name.prefix", "city.prefix"];

/**
 * Each typed word must match somewhere: as a whole word (one typo allowed from five letters
 * on) or as the start of a word, so "tayl quinm" finds Taylor Quinn. Per word rather than
 * per term, because a half-typed word and a misspelt one can sit in the same query.
 */
function wordMustMatch(word: string) {
  return {
    bool: {
      should: [
        { multi_match: { query: word, fields: WORD_FIELDS, fuzziness: toleratesTypo(word) ? 1 : 0, prefix_length: 0, max_expansions: 50 } },
        { multi_match: { query: word, fields: PREFIX_FIELDS } },
      ],
      minimum_should_match: 1,
    },
  };
}

function filters(query: SearchQuery): object[] {
  const range: Record<string, string> = {};
  if (query.startsAfter) range.gte = query.startsAfter.toISOString();
  if (query.startsBefore) range.lt = query.startsBefore.toISOString();
  return [
    { term: { status: "scheduled" } },
    ...(query.city ? [{ term: { "city.keyword": query.city } }] : []),
    ...(query.type ? [{ term: { type: query.type } }] : []),
    ...(Object.keys(range).length > 0 ? [{ range: { starts_at: range } }] : []),
    ...(query.venueLocalDate ? [{ term: { venue_local_date: query.venueLocalDate } }] : []),
    ...(query.near
      ? [{ geo_distance: { distance: `${query.near.radiusKm}km`, location: { lat: query.near.latitude, lon: query.near.longitude } } }]
      : []),
  ];
}

function sort(query: SearchQuery): unknown[] {
  const tieBreak: unknown[] = [{ starts_at: "asc" }, { id: "asc" }];
  // Every hit of a search by date has the same local date, so this orders nothing. It is there
  // because an index built before the field existed (until the indexer's rebuild is promoted)
  // answers a term filter on it with no hits, but refuses a sort on it: the search then falls
  // back to PostgreSQL and still finds the day's events.
  if (query.venueLocalDate) tieBreak.push({ venue_local_date: "asc" });
  if (query.sort === "relevance") return ["_score", ...tieBreak];
  if (query.sort === "distance" && query.near) {
    const point = { lat: query.near.latitude, lon: query.near.longitude };
    return [{ _geo_distance: { location: point, order: "asc", unit: "km", distance_type: "arc" } }, ...tieBreak];
  }
  return tieBreak;
}

/** The search request body for one normalized query: a page and one more hit. */
export function eventSearchBody(query: SearchQuery): Record<string, unknown> {
  const words = queryWords(query.term);
  const bool: Record<string, unknown> = { filter: filters(query) };
  if (query.term) {
    // A term of only punctuation has no words and matches nothing, as on PostgreSQL.
    bool.must = words.length > 0 ? words.map(wordMustMatch) : [{ match_none: {} }];
    bool.should = [{ match_phrase: { name: { query: query.term, boost: 2 } } }];
  }
  return {
    from: query.offset,
    size: query.pageSize + 1,
    track_total_hits: false,
    _source: { excludes: ["description"] },
    query: { bool },
    sort: sort(query),
  };
}
