import type { PageTokens } from "../../shared/paging/page-tokens.js";
import { MAX_OFFSET, normalizeSearch, offsetCursor, offsetOfCursor, type EventTypeName, type SearchQuery, type SearchRequest } from "./search-query.js";

/** One result row: the part of an event a result list shows. */
export interface EventHit {
  id: string;
  name: string;
  type: EventTypeName;
  startsAt: Date;
  venueName: string;
  /** The venue's IANA time zone: people read startsAt on this clock. */
  venueTimeZone: string;
  city: string;
  latitude: number;
  longitude: number;
  performers: string[];
  lowestPriceMinor: number | null;
  currency: string;
  ticketsAvailable: boolean;
  distanceKm?: number;
}

/** What a backend found, and who found it. */
export interface SearchAnswer {
  /** Up to pageSize + 1 hits from offset, so the caller can tell whether a next page exists. */
  hits: EventHit[];
  /** The engine that answered: "opensearch", "postgres", ... */
  backend: string;
  /** True when a fallback answered because the preferred engine could not. */
  degraded: boolean;
}

/** A search engine: PostgreSQL full text, Elasticsearch/OpenSearch, or a composition of them. */
export interface SearchBackend {
  /** The signal aborts when the caller has left: a backend stops its work then (a PostgreSQL read is cancelled). */
  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchAnswer>;
}

export interface SearchResult {
  hits: EventHit[];
  nextPageToken: string;
  backend: string;
}

export function createEventSearch({ backend, pageTokens, now = () => new Date() }: { backend: SearchBackend; pageTokens: PageTokens; now?: () => Date }) {
  return {
    async search(request: SearchRequest, signal?: AbortSignal): Promise<SearchResult> {
      const offset = request.pageToken ? offsetOfCursor(pageTokens.open(request.pageToken)) : 0;
      const query = normalizeSearch(request, now(), offset);
      const answer = await backend.search(query, signal);
      const nextOffset = query.offset + query.pageSize;
      const hasMore = answer.hits.length > query.pageSize && nextOffset <= MAX_OFFSET;
      return {
        hits: answer.hits.slice(0, query.pageSize),
        nextPageToken: hasMore ? pageTokens.seal(offsetCursor(nextOffset)) : "",
        backend: answer.backend,
      };
    },
  };
}

export type EventSearch = ReturnType<typeof createEventSearch>;
