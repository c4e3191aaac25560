import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  EventSummarySchema,
  SearchEventsResponseSchema,
  SearchService,
  SearchSort,
  type SearchEventsRequest,
} from "../../gen/boxoffice/search/v1/search_pb.js";
import { eventTypeFromProto, eventTypeToProto, money, timestamp } from "../shared/proto-mapping/common-mapping.js";
import type { EventSearch } from "./domain/event-search.js";
import type { SearchRequest, SearchSort as DomainSort } from "./domain/search-query.js";

const sorts: Partial<Record<SearchSort, DomainSort>> = {
  [SearchSort.RELEVANCE]: "relevance",
  [SearchSort.DATE]: "date",
  [SearchSort.DISTANCE]: "distance",
};

export function searchHandlers({ search }: { search: EventSearch }): ServiceImpl<typeof SearchService> {
  return {
    async searchEvents(request, context) {
      // The caller's signal: a search nobody waits for any more stops (its PostgreSQL read is cancelled).
      const result = await search.search(toSearchRequest(request), context.signal);
      return create(SearchEventsResponseSchema, {
        backend: result.backend,
        nextPageToken: result.nextPageToken,
        events: result.hits.map((hit) =>
          create(EventSummarySchema, {
            id: hit.id,
            name: hit.name,
            type: eventTypeToProto(hit.type),
            startsAt: timestamp(hit.startsAt),
            venueName: hit.venueName,
            venueTimezone: hit.venueTimeZone,
            city: hit.city,
            performers: hit.performers,
            lowestPrice: hit.lowestPriceMinor === null ? undefined : money(hit.lowestPriceMinor, hit.currency),
            ticketsAvailable: hit.ticketsAvailable,
            distanceKm: hit.distanceKm,
            location: { latitude: hit.latitude, longitude: hit.longitude },
          }),
        ),
      });
    },
  };
}

export function toSearchRequest(request: SearchEventsRequest): SearchRequest {
  const location = request.location;
  return {
    term: request.term,
    city: location.case === "city" ? location.value : undefined,
    near:
      location.case === "near"
        ? {
            latitude: location.value.point?.latitude ?? 0,
            longitude: location.value.point?.longitude ?? 0,
            radiusKm: location.value.radiusKm,
          }
        : undefined,
    date: request.date || undefined,
    startsAfter: request.startsAfter ? timestampDate(request.startsAfter) : undefined,
    startsBefore: request.startsBefore ? timestampDate(request.startsBefore) : undefined,
    type: eventTypeFromProto(request.type),
    sort: sorts[request.sort],
    pageSize: request.pageSize,
    pageToken: request.pageToken || undefined,
    includePast: request.includePast,
  };
}
