import type { Client } from "@connectrpc/connect";
import type { CatalogService } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import type { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { runLiveFeed, type FeedMode, type FeedTiming } from "./live-feed.js";

export type { FeedMode, FeedTiming } from "./live-feed.js";

export interface TicketUpdate {
  snapshot: boolean;
  changes: Array<{ ticketId: string; status: TicketStatus }>;
}

/**
 * An event's ticket statuses as they change: WatchEventTickets (a snapshot, then changes) while
 * it works; when the stream fails, a GetEvent refresh every few seconds until the stream can be
 * opened again. Returns the function that stops it.
 */
export function watchTicketStatuses(
  catalog: Client<typeof CatalogService>,
  eventId: string,
  onUpdate: (update: TicketUpdate) => void,
  onMode: (mode: FeedMode) => void,
  timing?: FeedTiming,
): () => void {
  return runLiveFeed(
    {
      async stream(signal, live) {
        for await (const message of catalog.watchEventTickets({ eventId }, { signal })) {
          if (message.snapshot) live();
          onUpdate({ snapshot: message.snapshot, changes: message.changes.map(({ ticketId, status }) => ({ ticketId, status })) });
        }
      },
      async refresh(signal) {
        const { tickets } = await catalog.getEvent({ eventId }, { signal });
        onUpdate({ snapshot: true, changes: tickets.map(({ id, status }) => ({ ticketId: id, status })) });
      },
    },
    onMode,
    timing,
  );
}
