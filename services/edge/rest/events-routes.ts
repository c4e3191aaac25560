import { create, toJson } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
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
import { upstreamCallOptions } from "./upstream-call-options.js";

type Query = Record<string, string | undefined>;

/** The seed's read paths: GET /events/search and GET /events/{eventId}. */
export function eventsRestRoutes(clients: InternalClients, timeoutMs: number) {
  return async (app: FastifyInstance) => {
    app.get("/events/search", async (request, reply) => {
      let searchRequest: SearchEventsRequest;
      try {
        searchRequest = searchRequestFromQuery(request.query as Query);
      } catch (error) {
        return badRequest(reply, (error as QueryError).message, (error as QueryError).field);
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

class QueryError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
  }
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

function number(query: Query, field: string): number | undefined {
  const raw = query[field];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new QueryError(`${field} must be a number, got "${raw}"`, field);
  return value;
}

function instant(query: Query, field: string) {
  const raw = query[field];
  if (!raw) return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new QueryError(`${field} must be an ISO 8601 date or time, got "${raw}"`, field);
  return timestampFromDate(date);
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
    pageSize: number(query, "pageSize"),
    startsAfter: instant(query, "from"),
    startsBefore: instant(query, "to"),
  });
  const lat = number(query, "lat");
  const lon = number(query, "lon");
  if (lat !== undefined || lon !== undefined) {
    if (lat === undefined || lon === undefined) throw new QueryError("give both lat and lon", lat === undefined ? "lat" : "lon");
    request.location = { case: "near", value: create(NearPointSchema, { point: { latitude: lat, longitude: lon }, radiusKm: number(query, "radiusKm") ?? 50 }) };
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
