import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { CatalogService } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import type { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";

export interface TicketUpdate {
  snapshot: boolean;
  changes: Array<{ ticketId: string; status: TicketStatus }>;
}

/** "live" while the watch stream delivers, "polling" while it is down and GetEvent stands in. */
export type FeedMode = "live" | "polling";

export interface FeedTiming {
  pollIntervalMs: number;
  /** How long to poll before trying the stream again, doubling up to the maximum. */
  reconnectMs: number;
  maxReconnectMs: number;
}

const DEFAULT_TIMING: FeedTiming = { pollIntervalMs: 5_000, reconnectMs: 10_000, maxReconnectMs: 60_000 };

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
  timing: FeedTiming = DEFAULT_TIMING,
): () => void {
  const stopped = new AbortController();
  let reconnectMs = timing.reconnectMs;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopped.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });

  async function stream(): Promise<void> {
    for await (const message of catalog.watchEventTickets({ eventId }, { signal: stopped.signal })) {
      if (message.snapshot) {
        onMode("live");
        reconnectMs = timing.reconnectMs;
      }
      onUpdate({ snapshot: message.snapshot, changes: message.changes.map(({ ticketId, status }) => ({ ticketId, status })) });
    }
  }

  async function pollFor(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!stopped.signal.aborted && Date.now() < until) {
      try {
        const { tickets } = await catalog.getEvent({ eventId }, { signal: stopped.signal });
        onUpdate({ snapshot: true, changes: tickets.map(({ id, status }) => ({ ticketId: id, status })) });
      } catch {
        // A failed refresh keeps the last statuses; the next one may work.
      }
      await sleep(timing.pollIntervalMs);
    }
  }

  void (async () => {
    while (!stopped.signal.aborted) {
      try {
        await stream();
        // The server ended the stream (a deploy drains it): reopen after a breath.
        await sleep(1_000);
        continue;
      } catch (error) {
        if (stopped.signal.aborted || ConnectError.from(error).code === Code.NotFound) return;
      }
      onMode("polling");
      await pollFor(reconnectMs);
      reconnectMs = Math.min(reconnectMs * 2, timing.maxReconnectMs);
    }
  })();

  return () => stopped.abort();
}
