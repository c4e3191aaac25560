import { createHash } from "node:crypto";
import type { DescMethod } from "@bufbuild/protobuf";
import { createConnectRouter, type ConnectRouter, type ContextValues, type Interceptor } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest } from "@connectrpc/connect-node";
import type { FastifyReply, FastifyRequest } from "fastify";
import { STRICT_JSON } from "../shared/rpc/strict-json.js";

/**
 * HTTP caching of the edge's side-effect-free reads (search, the stadium view).
 *
 * Search results may be a little stale: browsers and CDNs keep them briefly, serve them stale
 * while revalidating, and revalidate with If-None-Match (a 304 costs no body).
 */
export const SEARCH_CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=30";

/** A strong validator: the same bytes, the same tag. */
export function entityTag(body: string | Uint8Array): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

/** If-None-Match lists the tag (or is "*"): the client's copy is current. */
export function isNotModified(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === "*" || trimmed === tag || trimmed === `W/${tag}`;
  });
}

/** A stadium layout addressed by its version never changes: keep it for good. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";
/** The current layout's address answers with whichever version is current: briefly. */
export const CURRENT_LAYOUT_CACHE_CONTROL = "public, max-age=5";
/** Seat states are at most about a second old in the catalog anyway. */
export const AVAILABILITY_CACHE_CONTROL = "public, max-age=1";

/**
 * Sends a cacheable body with its validator, or 304 when the client's copy is current. The
 * tag is a hash of the body unless the caller knows a version that names the content.
 */
export function sendCacheable(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string | Uint8Array,
  cacheControl = SEARCH_CACHE_CONTROL,
  tag = entityTag(body),
): FastifyReply {
  reply.header("cache-control", cacheControl).header("etag", tag);
  if (isNotModified(request.headers["if-none-match"], tag)) return reply.code(304).send();
  return reply.send(typeof body === "string" ? body : Buffer.from(body));
}

export interface CacheableConnectGets {
  routes: (router: ConnectRouter) => void;
  /** The same interceptors and context values the Connect plugin runs with. */
  interceptors: Interceptor[];
  contextValues?: (request: FastifyRequest) => ContextValues;
  methods: readonly DescMethod[];
  /** The longest Connect-Timeout-Ms taken, as the Connect plugin's own. */
  maxTimeoutMs: number;
}

/**
 * The Connect GET form of side-effect-free RPCs (?connect=v1&message=...) with the same HTTP
 * caching as the REST path. The Connect plugin writes straight to the socket, where no ETag or
 * 304 can be added, so these GETs are answered here, ahead of it (an onRequest hook), by the
 * same Connect handler code with its response buffered.
 */
export function cacheableConnectGets({ routes, interceptors, contextValues, methods, maxTimeoutMs }: CacheableConnectGets) {
  const router = createConnectRouter({ interceptors, jsonOptions: STRICT_JSON, maxTimeoutMs, acceptCompression: [compressionGzip, compressionBrotli] });
  routes(router);
  const handlers = new Map(router.handlers.filter((handler) => methods.includes(handler.method)).map((handler) => [handler.requestPath, handler]));

  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== "GET") return;
    const handler = handlers.get(request.url.split("?", 1)[0]!);
    if (!handler) return;
    const response = await handler(universalRequestFromNodeRequest(request.raw, reply.raw, undefined, contextValues?.(request)));
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body ?? []) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    response.header?.forEach((value, name) => void reply.header(name, value));
    reply.code(response.status);
    if (response.status !== 200) return reply.send(body);
    // The body may be compressed for this client: caches must key on Accept-Encoding too.
    reply.header("vary", "accept-encoding");
    // A method with a policy of its own (connect-forwarding.ts) has set it on the response.
    return sendCacheable(request, reply, body, response.header?.get("cache-control") ?? SEARCH_CACHE_CONTROL);
  };
}
