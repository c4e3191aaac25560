import type { Client } from "@connectrpc/connect";
import type { CatalogService } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import type { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { runLiveFeed, type FeedMode, type FeedTiming } from "./live-feed.js";

/** Every seat's state (2 bits a seat in layout order), or the seats that changed, by position. */
export type AvailabilityUpdate =
  | { kind: "snapshot"; layoutVersion: string; bits: Uint8Array }
  | { kind: "changes"; changes: Array<{ position: number; status: TicketStatus }> };

/**
 * A stadium's seat states as they change: WatchEventTickets in its compact form (the bits,
 * then seat changes by position) while it works, GetEventAvailability every few seconds while
 * it does not. A 50,000-seat event costs a few kilobytes, not megabytes.
 */
export function watchAvailability(
  catalog: Client<typeof CatalogService>,
  eventId: string,
  onUpdate: (update: AvailabilityUpdate) => void,
  onMode: (mode: FeedMode) => void,
  timing?: FeedTiming,
): () => void {
  return runLiveFeed(
    {
      async stream(signal, live) {
        for await (const message of catalog.watchEventTickets({ eventId, compact: true }, { signal })) {
          if (message.snapshot) {
            live();
            onUpdate({ kind: "snapshot", layoutVersion: message.layoutVersion, bits: message.availability });
          } else if (message.seatChanges.length > 0) {
            onUpdate({ kind: "changes", changes: message.seatChanges.map(({ position, status }) => ({ position, status })) });
          }
        }
      },
      async refresh(signal) {
        const availability = await catalog.getEventAvailability({ eventId }, { signal });
        onUpdate({ kind: "snapshot", layoutVersion: availability.layoutVersion, bits: availability.seats });
      },
    },
    onMode,
    timing,
  );
}
