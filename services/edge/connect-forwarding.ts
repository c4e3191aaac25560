import type { DescService } from "@bufbuild/protobuf";
import type { Client, ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService, type WatchEventTicketsRequest } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import type { InternalClients } from "./internal-clients.js";
import { REQUEST_ID_HEADER } from "../shared/rpc/request-id-header.js";
import { relayedError } from "./relayed-error.js";
import { stadiumCacheControl } from "./stadium-cache-policy.js";
import { createWatchRelay, type WatchRelay } from "./watch/watch-relay.js";

/** Headers a browser call carries on to the service behind it. */
const FORWARDED = ["authorization", REQUEST_ID_HEADER];

export function forwardedHeaders(incoming: Headers): Headers {
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = incoming.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
}

/**
 * Serves a service's Connect/gRPC-Web surface by handing each call to the internal service
 * over gRPC, with the caller's deadline (capped) and cancellation. No retries here: the
 * internal clients decide what is safe to retry.
 */
function forward<S extends DescService>(router: ConnectRouter, service: S, client: Client<S>, timeoutMs: number, own: Record<string, unknown> = {}) {
  const impl: Record<string, unknown> = { ...own };
  for (const method of service.methods) {
    if (method.localName in own) continue;
    const call = (client as Record<string, (request: unknown, options: object) => unknown>)[method.localName]!;
    const options = (context: HandlerContext) => ({
      headers: forwardedHeaders(context.requestHeader),
      signal: context.signal,
      timeoutMs: Math.min(context.timeoutMs() ?? timeoutMs, timeoutMs),
    });
    if (method.methodKind === "unary") {
      impl[method.localName] = async (request: unknown, context: HandlerContext) => {
        try {
          const response = await call(request, options(context));
          const cacheControl = stadiumCacheControl(method, request);
          if (cacheControl) context.responseHeader.set("cache-control", cacheControl);
          return response;
        } catch (error) {
          throw relayedError(error);
        }
      };
    } else if (method.methodKind === "server_streaming") {
      impl[method.localName] = async function* (request: unknown, context: HandlerContext) {
        try {
          // Streams live as long as the browser watches: no deadline, only cancellation.
          yield* call(request, { headers: forwardedHeaders(context.requestHeader), signal: context.signal }) as AsyncIterable<unknown>;
        } catch (error) {
          throw relayedError(error);
        }
      };
    }
  }
  router.service(service, impl as never);
}

/**
 * WatchEventTickets through the edge's relay (watch/watch-relay.ts): one upstream stream per
 * event and form, its messages shared by every browser watching. Binary streams take each
 * message's encoding made once; JSON streams encode their own.
 */
function relayedWatch(relay: WatchRelay) {
  return async function* (request: WatchEventTicketsRequest, context: HandlerContext) {
    const binary = !(context.requestHeader.get("content-type") ?? "").includes("json");
    try {
      for await (const shared of relay.watch(request.eventId, request.compact, context.signal)) yield binary ? shared.binary : shared.message;
      // The fanout ends a watcher quietly when its signal aborts; the reason (the edge shutting
      // down: UNAVAILABLE, so the browser reconnects elsewhere) is what the browser must be told.
      if (context.signal.aborted) throw context.signal.reason;
    } catch (error) {
      throw relayedError(error);
    }
  };
}

/** Messages a browser's watch may fall behind before it is sent a fresh snapshot instead. */
const WATCH_MAX_LAG = 64;
/**
 * Changes reach browsers at most four times a second, several in one message: a person cannot
 * tell 250 ms on a seat map, and on a hot on-sale it is what lets one edge feed thousands of
 * watchers (each message written costs every stream the same, whatever it carries).
 */
const WATCH_COALESCE_MS = 250;

/**
 * The edge's Connect routes, each call forwarded to its service, and the WatchEventTickets
 * implementation they serve it with (the edge also serves that one below connect-es, for binary
 * streams: streams/framed-server-stream.ts).
 */
export function forwardingRoutes(clients: InternalClients, timeoutMs: number) {
  // Streams live as long as the browser watches: no deadline, only cancellation.
  const relay = createWatchRelay((eventId, compact, signal) => clients.catalog.watchEventTickets({ eventId, compact }, { signal }), {
    maxLag: WATCH_MAX_LAG,
    coalesceMs: WATCH_COALESCE_MS,
  });
  const watchEventTickets = relayedWatch(relay);
  return {
    watchEventTickets,
    routes(router: ConnectRouter) {
      forward(router, CatalogService, clients.catalog, timeoutMs, { watchEventTickets });
      forward(router, SearchService, clients.search, timeoutMs);
      forward(router, BookingService, clients.booking, timeoutMs);
      forward(router, QueueService, clients.queue, timeoutMs);
    },
  };
}
