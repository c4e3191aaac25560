import { create, toJson } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { GetEventResponseSchema, ListEventTicketsResponseSchema } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { EventTypeSchema } from "../../../gen/boxoffice/common/v1/event_pb.js";
import {
  NearPointSchema,
  SearchEventsRequestSchema,
  SearchEventsResponseSchema,
  SearchSortSchema,
  type SearchEventsRequest,
} from "../../../gen/boxoffice/search/v1/search_pb.js";
import type { InternalClients } from "../internal-clients.js";
import { forwardedHeaders } from "../connect-forwarding.js";
import { sendCacheable } from "../http-caching.js";
import { badRequest, sendError } from "./http-errors.js";
import { withQueryParameterNames } from "./search-query-terms.js";
import { enumParam, instantParam, int32Param, numberParam, QueryError, sendQueryError, singleValued, type Query } from "./query-values.js";
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
        const response = await clients.search.searchEvents(searchRequest, upstreamCallOptions(request, timeoutMs, reply));
        // Side-effect free and a little staleness is fine: browsers and CDNs keep it and revalidate by ETag.
        const body = JSON.stringify(toJson(SearchEventsResponseSchema, response, { alwaysEmitImplicit: true }));
        return sendCacheable(request, reply.type("application/json; charset=utf-8"), body);
      } catch (error) {
        return sendError(reply, withQueryParameterNames(error));
      }
    });

    // The seed's seat-state listing: every ticket with its section, row, seat, price and live status.
    app.get<{ Params: { eventId: string } }>("/events/:eventId/tickets", async (request, reply) => {
      try {
        const response = await clients.catalog.listEventTickets({ eventId: request.params.eventId }, upstreamCallOptions(request, timeoutMs, reply));
        reply.header("cache-control", "no-store");
        return toJson(ListEventTicketsResponseSchema, response, { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.get<{ Params: { eventId: string } }>("/events/:eventId", async (request, reply) => {
      try {
        const response = await clients.catalog.getEvent({ eventId: request.params.eventId }, upstreamCallOptions(request, timeoutMs, reply));
        // Ticket statuses are live: never cached.
        reply.header("cache-control", "no-store");
        return toJson(GetEventResponseSchema, response, { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });
  };
}

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
  const type = enumParam(query, "type", EventTypeSchema);
  if (type !== undefined) request.type = type;
  const sort = enumParam(query, "sort", SearchSortSchema);
  if (sort !== undefined) request.sort = sort;
  return request;
}
