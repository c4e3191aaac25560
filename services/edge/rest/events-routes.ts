import { create, toJson } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { GetEventResponseSchema } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { EventType } from "../../../gen/boxoffice/common/v1/event_pb.js";
import {
  NearPointSchema,
  SearchEventsRequestSchema,
  SearchEventsResponseSchema,
  SearchSort,
  type SearchEventsRequest,
} from "../../../gen/boxoffice/search/v1/search_pb.js";
import type { InternalClients } from "../internal-clients.js";
import { forwardedHeaders } from "../connect-forwarding.js";
import { sendCacheable } from "../http-caching.js";
import { badRequest, sendError } from "./http-errors.js";
import { withQueryParameterNames } from "./search-query-terms.js";
import { instantParam, int32Param, numberParam, QueryError, sendQueryError, singleValued, type Query } from "./query-values.js";
import { upstreamCallOptions } from "./upstream-call-options.js";

/** The seed's read paths: GET /events/search and GET /events/{eventId}. */
export function eventsRestRoutes(clients: InternalClients, timeoutMs: number) {
  return async (app: FastifyInstance) => {
    app.get("/events/search", async (request, reply) => {
      let searchRequest: SearchEventsRequest;
      try {
        searchRequest = searchRequestFromQuery(singleValued(request.query));
      } catch (error) {
        return sendQueryError(reply, error);
      }
      try {
        const response = await clients.search.searchEvents(searchRequest, { timeoutMs, headers: forwardedHeaders(new Headers(request.headers as Record<string, string>)) });
        // Side-effect free and a little staleness is fine: browsers and CDNs keep it and revalidate by ETag.
        const body = JSON.stringify(toJson(SearchEventsResponseSchema, response, { alwaysEmitImplicit: true }));
        return sendCacheable(request, reply.type("application/json; charset=utf-8"), body);
      } catch (error) {
        return sendError(reply, withQueryParameterNames(error));
      }
    });

    app.get<{ Params: { eventId: string } }>("/events/:eventId", async (request, reply) => {
      try {
        const response = await clients.catalog.getEvent({ eventId: request.params.eventId }, upstreamCallOptions(request, timeoutMs));
        // Ticket statuses are live: never cached.
        reply.header("cache-control", "no-store");
        return toJson(GetEventResponseSchema, response, { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });
  };
}

const typeNames: Record<string, EventType> = {
  concert: EventType.CONCERT,
  sports: EventType.SPORTS,
  theater: EventType.THEATER,
  comedy: EventType.COMEDY,
  festival: EventType.FESTIVAL,
  family: EventType.FAMILY,
  conference: EventType.CONFERENCE,
};

const sortNames: Record<string, SearchSort> = {
  relevance: SearchSort.RELEVANCE,
  date: SearchSort.DATE,
  distance: SearchSort.DISTANCE,
};

const PARAMETERS = ["term", "location", "date", "type", "lat", "lon", "radiusKm", "from", "to", "sort", "pageSize", "pageToken", "includePast"];

/**
 * ?term=&location=&date=&type= as in the seed, plus lat/lon/radiusKm, from/to, sort, pageSize,
 * pageToken and includePast. Range checks stay with the search service's contract rules.
 */
export function searchRequestFromQuery(query: Query): SearchEventsRequest {
  // A misspelt filter (?termm=jazz) would otherwise answer every event, as if it were applied.
  const unknown = Object.keys(query).find((name) => !PARAMETERS.includes(name));
  if (unknown !== undefined) throw new QueryError(`unknown query parameter "${unknown}"; the search takes ${PARAMETERS.join(", ")}`, unknown);
  const request = create(SearchEventsRequestSchema, {
    term: query.term ?? "",
    date: query.date ?? "",
    pageToken: query.pageToken ?? "",
    includePast: query.includePast === "true",
    pageSize: int32Param(query, "pageSize", SearchEventsRequestSchema.field.pageSize),
    startsAfter: instantParam(query, "from"),
    startsBefore: instantParam(query, "to"),
  });
  const lat = numberParam(query, "lat");
  const lon = numberParam(query, "lon");
  if (lat !== undefined || lon !== undefined) {
    if (lat === undefined || lon === undefined) throw new QueryError("give both lat and lon", lat === undefined ? "lat" : "lon");
    request.location = { case: "near", value: create(NearPointSchema, { point: { latitude: lat, longitude: lon }, radiusKm: numberParam(query, "radiusKm") ?? 50 }) };
  } else if (query.location) {
    request.location = { case: "city", value: query.location };
  }
  if (query.type) {
    const type = typeNames[query.type.toLowerCase()];
    if (type === undefined) throw new QueryError(`type must be one of ${Object.keys(typeNames).join(", ")}`, "type");
    request.type = type;
  }
  if (query.sort) {
    const sort = sortNames[query.sort.toLowerCase()];
    if (sort === undefined) throw new QueryError(`sort must be one of ${Object.keys(sortNames).join(", ")}`, "sort");
    request.sort = sort;
  }
  return request;
}
