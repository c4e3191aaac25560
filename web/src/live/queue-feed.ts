import type { Client } from "@connectrpc/connect";
import type { QueuePlace, QueueService } from "../../../gen/boxoffice/queue/v1/queue_pb.js";
import { runLiveFeed, type FeedMode, type FeedTiming } from "./live-feed.js";

/** Polling stands in for a dropped queue stream more often than for the seat map: a place moves by the second. */
const QUEUE_TIMING: FeedTiming = { pollIntervalMs: 3_000, reconnectMs: 10_000, maxReconnectMs: 60_000 };

/**
 * The buyer's place as it changes: WatchQueuePosition (the place now, then each change) while
 * it works; when the stream drops, GetQueuePosition every few seconds until it can be opened
 * again. The stream ends by itself once admitted or sold out; the caller stops the feed then.
 * Returns the function that stops it.
 */
export function watchQueuePlace(
  queue: Client<typeof QueueService>,
  eventId: string,
  onPlace: (place: QueuePlace) => void,
  onMode: (mode: FeedMode) => void,
  timing: FeedTiming = QUEUE_TIMING,
): () => void {
  return runLiveFeed(
    {
      async stream(signal, live) {
        for await (const { place } of queue.watchQueuePosition({ eventId }, { signal })) {
          live();
          if (place) onPlace(place);
        }
      },
      async refresh(signal) {
        const { place } = await queue.getQueuePosition({ eventId }, { signal });
        if (place) onPlace(place);
      },
    },
    onMode,
    timing,
  );
}
