import { create } from "@bufbuild/protobuf";
import { describe, expect, it, vi } from "vitest";
import { WatchEventTicketsResponseSchema, type WatchEventTicketsResponse } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { createWatchRelay } from "./watch-relay.js";

/** The catalog's stream for one event: a snapshot of two tickets, then what the test sends. */
function upstream() {
  const queue: WatchEventTicketsResponse[] = [create(WatchEventTicketsResponseSchema, { snapshot: true, changes: [{ ticketId: "t1", status: TicketStatus.AVAILABLE }, { ticketId: "t2", status: TicketStatus.AVAILABLE }] })];
  let wake: (() => void) | undefined;
  let opened = 0;
  return {
    opened: () => opened,
    send(ticketId: string, status: TicketStatus) {
      queue.push(create(WatchEventTicketsResponseSchema, { changes: [{ ticketId, status }] }));
      wake?.();
    },
    async *open() {
      opened += 1;
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("the edge's watch relay", () => {
  it("opens one upstream for many browsers and hands them all one snapshot object, built once", async () => {
    const source = upstream();
    const relay = createWatchRelay(() => source.open(), { maxLag: 8, coalesceMs: 0 });
    const watchers = Array.from({ length: 300 }, () => relay.watch("e1", false, new AbortController().signal));
    const firsts = await Promise.all(watchers.map((watcher) => watcher.next()));
    expect(new Set(firsts.map((first) => first.value)).size).toBe(1);
    expect(source.opened()).toBe(1);
    source.send("t1", TicketStatus.RESERVED);
    await turn();
    const late = await Promise.all([relay.watch("e1", false, new AbortController().signal), relay.watch("e1", false, new AbortController().signal)].map((watcher) => watcher.next()));
    expect(late[0]!.value).toBe(late[1]!.value);
    expect(late[0]!.value!.message.changes[0]!.status).toBe(TicketStatus.RESERVED);
    // The encoding browsers are sent is made once too.
    expect(late[0]!.value!.binary).toBe(late[1]!.value!.binary);
    await Promise.all(watchers.map((watcher) => watcher.return(undefined)));
  });

  it("keeps a browser that stops reading to maxLag messages, then gives it the state now", async () => {
    const source = upstream();
    const relay = createWatchRelay(() => source.open(), { maxLag: 8, coalesceMs: 0 });
    const reader = relay.watch("e1", false, new AbortController().signal);
    const slow = relay.watch("e1", false, new AbortController().signal);
    await Promise.all([reader.next(), slow.next()]);
    for (let i = 0; i < 500; i++) {
      source.send("t1", i % 2 === 0 ? TicketStatus.RESERVED : TicketStatus.AVAILABLE);
      await turn();
      // The other browser keeps up, message by message.
      expect((await reader.next()).value!.message.changes).toHaveLength(1);
    }
    source.send("t2", TicketStatus.BOOKED);
    await turn();
    const caughtUp: WatchEventTicketsResponse = (await slow.next()).value!.message;
    expect(caughtUp.snapshot).toBe(true);
    expect(caughtUp.changes.map(({ ticketId, status }) => [ticketId, status])).toEqual([["t1", TicketStatus.AVAILABLE], ["t2", TicketStatus.BOOKED]]);
    await Promise.all([reader.return(undefined), slow.return(undefined)]);
  });

  it("sends changes that arrive within the coalescing window as one message, the same object to every browser", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const source = upstream();
      const relay = createWatchRelay(() => source.open(), { maxLag: 8, coalesceMs: 250 });
      const browsers = [relay.watch("e1", false, new AbortController().signal), relay.watch("e1", false, new AbortController().signal)];
      await Promise.all(browsers.map((browser) => browser.next()));
      // The browsers wait for news, as a stream does once its last write drained.
      const next = Promise.all(browsers.map((browser) => browser.next()));
      let delivered = false;
      void next.then(() => (delivered = true));
      source.send("t1", TicketStatus.RESERVED);
      source.send("t2", TicketStatus.RESERVED);
      source.send("t1", TicketStatus.BOOKED);
      for (let i = 0; i < 5; i++) await turn();
      // Nothing goes out before the window closes.
      expect(delivered).toBe(false);
      vi.advanceTimersByTime(250);
      const [first, second] = await next;
      expect(first!.value).toBe(second!.value);
      const merged: WatchEventTicketsResponse = first!.value!.message;
      expect(merged.snapshot).toBe(false);
      expect(merged.changes.map(({ ticketId, status }) => [ticketId, status])).toEqual([["t2", TicketStatus.RESERVED], ["t1", TicketStatus.BOOKED]]);
      await Promise.all(browsers.map((browser) => browser.return(undefined)));
    } finally {
      vi.useRealTimers();
    }
  });
});
