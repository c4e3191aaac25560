import { Code, ConnectError } from "@connectrpc/connect";

/** "live" while the watch stream delivers, "polling" while it is down and a refresh stands in. */
export type FeedMode = "live" | "polling";

export interface FeedTiming {
  pollIntervalMs: number;
  /** How long to poll before trying the stream again, doubling up to the maximum. */
  reconnectMs: number;
  maxReconnectMs: number;
}

const DEFAULT_TIMING: FeedTiming = { pollIntervalMs: 5_000, reconnectMs: 10_000, maxReconnectMs: 60_000 };

export interface LiveSource {
  /** Reads the watch stream until it ends; calls live() when a snapshot arrives. */
  stream(signal: AbortSignal, live: () => void): Promise<void>;
  /** One refresh standing in for the stream. */
  refresh(signal: AbortSignal): Promise<void>;
}

/**
 * A watch stream while it works; when it fails, a refresh every few seconds until the stream
 * can be opened again, backing off. Returns the function that stops it.
 */
export function runLiveFeed(source: LiveSource, onMode: (mode: FeedMode) => void, timing: FeedTiming = DEFAULT_TIMING): () => void {
  const stopped = new AbortController();
  let reconnectMs = timing.reconnectMs;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopped.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });

  const live = () => {
    onMode("live");
    reconnectMs = timing.reconnectMs;
  };

  async function pollFor(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!stopped.signal.aborted && Date.now() < until) {
      try {
        await source.refresh(stopped.signal);
      } catch {
        // A failed refresh keeps the last statuses; the next one may work.
      }
      await sleep(timing.pollIntervalMs);
    }
  }

  void (async () => {
    while (!stopped.signal.aborted) {
      try {
        await source.stream(stopped.signal, live);
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
