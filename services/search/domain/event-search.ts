import { encodePageToken, MAX_OFFSET, normalizeSearch, type EventTypeName, type SearchQuery, type SearchRequest } from "./search-query.js";

/** One result row: the part of an event a result list shows. */
export interface EventHit {
  id: string;
  name: string;
  type: EventTypeName;
  startsAt: Date;
  venueName: string;
  city: string;
  latitude: number;
  longitude: number;
  performers: string[];
  lowestPriceMinor: number | null;
  currency: string;
  ticketsAvailable: boolean;
  distanceKm?: number;
}

/** A search engine: PostgreSQL full text, Elasticsearch/OpenSearch. */
export interface SearchBackend {
  name: string;
  /** Up to pageSize + 1 hits from offset, so the caller can tell whether a next page exists. */
  search(query: SearchQuery): Promise<EventHit[]>;
}

export interface SearchResult {
  hits: EventHit[];
  nextPageToken: string;
  backend: string;
}

export function createEventSearch({ backend, now = () => new Date() }: { backend: SearchBackend; now?: () => Date }) {
  return {
    async search(request: SearchRequest): Promise<SearchResult> {
      const query = normalizeSearch(request, now());
      const hits = await backend.search(query);
      const nextOffset = query.offset + query.pageSize;
      const hasMore = hits.length > query.pageSize && nextOffset <= MAX_OFFSET;
      return {
        hits: hits.slice(0, query.pageSize),
        nextPageToken: hasMore ? encodePageToken(nextOffset) : "",
        backend: backend.name,
      };
    },
  };
}

export type EventSearch = ReturnType<typeof createEventSearch>;
