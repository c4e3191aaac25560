import { create } from "@bufbuild/protobuf";
import { WatchEventTicketsResponseSchema, type WatchEventTicketsResponse } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { ticketStatusChange } from "./catalog-messages.js";
import type { CompactWatchUpdate } from "./domain/compact-watch.js";
import type { WatchUpdate } from "./domain/event-ticket-state.js";
import { compactWatchResponse } from "./stadium-messages.js";

// An event's watchers share each update object (message-fanout.ts): its message is built once,
// and the gRPC host encodes a shared message once (method-codec.ts).
const built = new WeakMap<WatchUpdate | CompactWatchUpdate, WatchEventTicketsResponse>();

function once<U extends WatchUpdate | CompactWatchUpdate>(update: U, build: (update: U) => WatchEventTicketsResponse): WatchEventTicketsResponse {
  let message = built.get(update);
  if (!message) built.set(update, (message = build(update)));
  return message;
}

/** WatchEventTickets in its per-ticket form. */
export function watchResponse(update: WatchUpdate): WatchEventTicketsResponse {
  return once(update, ({ snapshot, changes, holdsUnknown }) =>
    create(WatchEventTicketsResponseSchema, { snapshot, changes: changes.map(ticketStatusChange), holdsUnknown }),
  );
}

/** WatchEventTickets in its compact form. */
export function compactResponse(update: CompactWatchUpdate): WatchEventTicketsResponse {
  return once(update, compactWatchResponse);
}
