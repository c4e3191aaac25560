import { create } from "@bufbuild/protobuf";
import { WatchEventTicketsResponseSchema, type WatchEventTicketsResponse } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";

/**
 * Several change messages of one watch as one: each ticket's (or seat's) last status, the
 * latest holds and availability versions. A run holding a snapshot has no delta form; the caller
 * sends the state as a snapshot instead (undefined here).
 */
export function mergeWatchChanges(messages: readonly WatchEventTicketsResponse[]): WatchEventTicketsResponse | undefined {
  if (messages.some((message) => message.snapshot)) return undefined;
  const tickets = new Map<string, WatchEventTicketsResponse["changes"][number]>();
  const seats = new Map<number, WatchEventTicketsResponse["seatChanges"][number]>();
  // Deleted first so an entry's place in the list is its last change's, as applying in order would leave it.
  for (const message of messages) {
    for (const change of message.changes) {
      tickets.delete(change.ticketId);
      tickets.set(change.ticketId, change);
    }
    for (const change of message.seatChanges) {
      seats.delete(change.position);
      seats.set(change.position, change);
    }
  }
  const last = messages[messages.length - 1]!;
  return create(WatchEventTicketsResponseSchema, {
    snapshot: false,
    changes: [...tickets.values()],
    seatChanges: [...seats.values()],
    holdsUnknown: last.holdsUnknown,
    layoutVersion: last.layoutVersion,
    availabilityVersion: last.availabilityVersion,
  });
}
