import { toJson } from "@bufbuild/protobuf";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { gzipSync } from "node:zlib";
import { CatalogService, GetEventAvailabilityResponseSchema, GetEventLayoutResponseSchema } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { stadiumCacheControl } from "../stadium-cache-policy.js";
import {
  AVAILABILITY_CACHE_CONTROL,
  isNotModified,
  sendCacheable,
} from "../http-caching.js";
import type { InternalClients } from "../internal-clients.js";
import { createEncodedAnswers, type EncodedAnswer, type EncodedAnswers } from "./encoded-answers.js";
import { badRequest, sendError } from "./http-errors.js";
import { sendQueryError, singleValued, type Query } from "./query-values.js";
import { upstreamCallOptions } from "./upstream-call-options.js";

/**
 * Immutable layouts up to 64 MB; an availability for half a second, so with the catalog's own
 * second a view is at most about 1.5 s old.
 */
const EDGE_ANSWERS = { maxBytes: 64 * 1024 * 1024, freshMs: 500 };

// Bodies below this are sent as they are: compressing them saves less than the header costs.
const GZIP_FROM_BYTES = 1_024;

/** A client asking for a fresh answer (Cache-Control: no-cache) gets one from the catalog, as from any shared cache. */
const wantsFresh = (request: FastifyRequest) => /\bno-cache\b/.test(String(request.headers["cache-control"] ?? ""));

const acceptsGzip = (request: FastifyRequest) => /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));

/**
 * A strong tag per representation: the version names the content, the suffix its encoding. The
 * version may carry the caller's path and section, URL-encoded so the tag stays a valid header.
 */
const versionTag = (request: FastifyRequest, version: string) => `"${encodeURIComponent(version)}${acceptsGzip(request) ? "-gz" : ""}"`;

/**
 * JSON, gzipped for a client that takes it (a stadium's availability is mostly runs of zeros),
 * with a tag made from the version the caller knows rather than a hash of the bytes.
 */
function encode(request: FastifyRequest, json: unknown, version: string): EncodedAnswer {
  const text = JSON.stringify(json);
  const gzipped = acceptsGzip(request) && text.length >= GZIP_FROM_BYTES;
  return { body: gzipped ? gzipSync(text) : text, gzipped, tag: versionTag(request, version) };
}

function send(request: FastifyRequest, reply: FastifyReply, answer: EncodedAnswer, cacheControl: string): FastifyReply {
  reply.type("application/json; charset=utf-8").header("vary", "accept-encoding");
  if (answer.gzipped) reply.header("content-encoding", "gzip");
  return sendCacheable(request, reply, answer.body, cacheControl, answer.tag);
}

function onlySection(reply: FastifyReply, rawQuery: unknown): string | undefined | FastifyReply {
  let query: Query;
  try {
    query = singleValued(rawQuery);
  } catch (error) {
    return sendQueryError(reply, error);
  }
  const unknown = Object.keys(query).find((name) => name !== "section");
  if (unknown !== undefined) return badRequest(reply, `unknown query parameter "${unknown}"; the layout takes section`, unknown);
  return query.section;
}

/**
 * The stadium view over REST, for CDNs and plain HTTP clients:
 *   GET /events/{id}/layout[?section=]            the current layout, briefly cacheable
 *   GET /events/{id}/layout/{version}[?section=]  that layout, immutable (404 once replaced)
 *   GET /events/{id}/availability                 2 bits per seat, cacheable for a second
 */
export function stadiumRestRoutes(clients: InternalClients, timeoutMs: number, answers: EncodedAnswers = createEncodedAnswers(EDGE_ANSWERS)) {
  return async (app: FastifyInstance) => {
    const layout = async (request: FastifyRequest<{ Params: { eventId: string; version?: string } }>, reply: FastifyReply) => {
      const section = onlySection(reply, request.query);
      if (typeof section === "object") return section;
      const { eventId, version = "" } = request.params;
      const tagVersion = (current: string) => (section ? `${current}.${section}` : current);
      const cacheControl = stadiumCacheControl(CatalogService.method.getEventLayout, { version })!;
      // What a version names never changes: a client holding it needs no trip to the catalog.
      if (version !== "" && isNotModified(request.headers["if-none-match"], versionTag(request, tagVersion(version)))) {
        return reply.code(304).header("cache-control", cacheControl).header("etag", versionTag(request, tagVersion(version))).send();
      }
      const key = `${eventId}/${version}/${section ?? ""}/${acceptsGzip(request)}`;
      const kept = version === "" ? undefined : answers.layout(key);
      if (kept) return send(request, reply, kept, cacheControl);
      try {
        const response = await clients.catalog.getEventLayout({ eventId, version, section: section ?? "" }, upstreamCallOptions(request, timeoutMs));
        const answer = encode(request, toJson(GetEventLayoutResponseSchema, response, { alwaysEmitImplicit: true }), tagVersion(response.layout!.version));
        if (version !== "") answers.keepLayout(key, answer);
        return send(request, reply, answer, cacheControl);
      } catch (error) {
        return sendError(reply, error);
      }
    };
    app.get<{ Params: { eventId: string } }>("/events/:eventId/layout", layout);
    app.get<{ Params: { eventId: string; version: string } }>("/events/:eventId/layout/:version", layout);

    app.get<{ Params: { eventId: string } }>("/events/:eventId/availability", async (request, reply) => {
      const unknown = Object.keys(request.query as object)[0];
      if (unknown !== undefined) return badRequest(reply, `unknown query parameter "${unknown}"; the availability takes none`, unknown);
      const key = `${request.params.eventId}/${acceptsGzip(request)}`;
      const kept = wantsFresh(request) ? undefined : answers.availability(key);
      if (kept) return send(request, reply, kept, AVAILABILITY_CACHE_CONTROL);
      try {
        const response = await clients.catalog.getEventAvailability({ eventId: request.params.eventId }, upstreamCallOptions(request, timeoutMs));
        const answer = answers.keepAvailability(key, versionTag(request, response.version), () =>
          encode(request, toJson(GetEventAvailabilityResponseSchema, response, { alwaysEmitImplicit: true }), response.version),
        );
        return send(request, reply, answer, AVAILABILITY_CACHE_CONTROL);
      } catch (error) {
        return sendError(reply, error);
      }
    });
  };
}
