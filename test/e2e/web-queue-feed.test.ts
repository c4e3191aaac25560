import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GetQueuePositionResponseSchema, PlaceStatus, QueueService, WatchQueuePositionResponseSchema } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { formatQueueWait, queueProgress } from "../../web/src/format/queue-wait.js";
import type { FeedMode } from "../../web/src/live/live-feed.js";
import { watchQueuePlace } from "../../web/src/live/queue-feed.js";

const EVENT_ID = "00000000-0000-4000-8000-000000000001";
const FAST = { pollIntervalMs: 1, reconnectMs: 5, maxReconnectMs: 10 };
let stop: (() => void) | undefined;

afterEach(() => stop?.());

/** A queue whose stream fails the first `failures` times, then sends position 1 and waits; polls answer position 2. */
function queueWithStream(failures: number) {
  const calls = { watch: 0, get: 0 };
  const transport = createRouterTransport(({ service }) =>
    service(QueueService, {
      async *watchQueuePosition(_request, context) {
        calls.watch += 1;
        if (calls.watch <= failures) throw new ConnectError("queue restarting", Code.Unavailable);
        yield create(WatchQueuePositionResponseSchema, { place: { eventId: EVENT_ID, status: PlaceStatus.WAITING, position: 1n } });
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
      },
      getQueuePosition() {
        calls.get += 1;
        return create(GetQueuePositionResponseSchema, { place: { eventId: EVENT_ID, status: PlaceStatus.WAITING, position: 2n } });
      },
    }),
  );
  return { queue: createClient(QueueService, transport), calls };
}

describe("the web app's queue place feed", () => {
  it("follows WatchQueuePosition alone while it works", async () => {
    const { queue, calls } = queueWithStream(0);
    const positions: bigint[] = [];
    const modes: FeedMode[] = [];
    stop = watchQueuePlace(queue, EVENT_ID, (place) => positions.push(place.position), (mode) => modes.push(mode), FAST);
    await vi.waitFor(() => expect(positions).toEqual([1n]));
    expect(modes).toEqual(["live"]);
    expect(calls.get).toBe(0);
  });

  it("polls GetQueuePosition while the stream is down, and goes live again when it returns", async () => {
    const { queue, calls } = queueWithStream(1);
    const positions: bigint[] = [];
    const modes: FeedMode[] = [];
    stop = watchQueuePlace(queue, EVENT_ID, (place) => positions.push(place.position), (mode) => modes.push(mode), FAST);
    await vi.waitFor(() => expect(modes).toContain("live"));
    expect(modes[0]).toBe("polling");
    expect(calls.get).toBeGreaterThan(0);
    expect(positions[0]).toBe(2n);
    expect(positions.at(-1)).toBe(1n);
  });
});

describe("the queue page's wait and progress", () => {
  it.each([
    [20, "less than a minute"],
    [90, "about 2 minutes"],
    [3_600, "about 1 hour"],
    [5_400, "about 1 hour 30 minutes"],
  ])("%i seconds read as %s", (seconds, text) => {
    expect(formatQueueWait(seconds)).toBe(text);
  });

  it("grows as the place moves up, never empty while waiting nor full before admission", () => {
    const steps = [5, 4, 3, 2, 1].map((position) => queueProgress(5, position));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(5);
    expect(steps[0]).toBeGreaterThan(0);
    expect(steps.at(-1)).toBeLessThan(100);
  });
});
