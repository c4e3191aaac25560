import { describe, expect, it, vi } from "vitest";
import { HoldsUnavailableError, type HoldReader } from "../../shared/holds/ticket-holds.js";
import { InProcessTicketStatusBus } from "../../shared/ticket-events/in-process-ticket-status-bus.js";
import type { TicketStatusBus } from "../../shared/ticket-events/ticket-status-bus.js";
import { notFound } from "../../shared/errors/domain-error.js";
import type { TicketSeat } from "./catalog-types.js";
import type { CompactWatchUpdate } from "./compact-watch.js";
import type { SeatPositions } from "./event-layout.js";
import { EventTicketState } from "./event-ticket-state.js";
import { createTicketWatches, type Ticker, type WatchUpdate } from "./ticket-watch.js";

const EVENT = "e1";
const seats = (count: number): TicketSeat[] =>
  Array.from({ length: count }, (_, i) => ({ id: `t${i + 1}`, section: "A", row: "1", seat: i + 1, priceMinor: 100, currency: "GBP" }));

/** Holds on the lock nodes as the catalog sees them: they expire by the clock, nothing announces it. */
class FakeHolds implements HoldReader {
  private readonly expiry = new Map<string, number>();
  constructor(private readonly now: () => number = () => 0) {}
  async hold(ticketIds: string[], ttlMs: number) {
    for (const id of ticketIds) this.expiry.set(id, this.now() + ttlMs);
  }
  async release(ticketIds: string[]) {
    for (const id of ticketIds) this.expiry.delete(id);
  }
  async holders(ticketIds: readonly string[]) {
    return new Map(ticketIds.filter((id) => (this.expiry.get(id) ?? -Infinity) > this.now()).map((id) => [id, "holder"]));
  }
  async eventHolds() {
    const live = [...this.expiry].filter(([, expiresAtMs]) => expiresAtMs > this.now());
    return new Map(live.map(([id, expiresAtMs]) => [id, { token: "holder", expiresAtMs }]));
  }
}

/** Lock nodes that can lose their quorum: the production reader then throws HoldsUnavailableError. */
function switchableHolds(inner: HoldReader) {
  const state = { down: false };
  const holds: HoldReader = {
    async holders(ids) {
      if (state.down) throw new HoldsUnavailableError("1 of 3 lock nodes answered");
      return inner.holders(ids);
    },
    async eventHolds(eventId) {
      if (state.down) throw new HoldsUnavailableError("1 of 3 lock nodes answered");
      return inner.eventHolds(eventId);
    },
  };
  return { holds, state };
}

/** Polls run only when the test says so. */
function manualTicker() {
  const tasks = new Set<() => Promise<void>>();
  const ticker: Ticker = {
    every(_intervalMs, task) {
      tasks.add(task);
      return () => tasks.delete(task);
    },
  };
  return {
    ticker,
    running: () => tasks.size,
    async tick(times = 1) {
      for (let i = 0; i < times; i++) for (const task of [...tasks]) await task();
    },
  };
}

function setup(options: { tickets?: TicketSeat[]; holds?: HoldReader; bus?: TicketStatusBus; resyncEveryPolls?: number; holdScanEveryPolls?: number; maxLag?: number } = {}) {
  let now = 0;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const holdStore = new FakeHolds(clock.now);
  const booked = new Set<string>();
  let tickets = options.tickets ?? seats(3);
  const bus = options.bus ?? new InProcessTicketStatusBus();
  const time = manualTicker();
  const watches = createTicketWatches({
    tickets: async (eventId) => {
      if (eventId !== EVENT) throw notFound(`event ${eventId} does not exist`);
      return tickets;
    },
    store: {
      bookedTicketIds: async () => [...booked],
      bookedAmong: async (_eventId, ids) => ids.filter((id) => booked.has(id)),
    },
    holds: options.holds ?? holdStore,
    bus,
    ticker: time.ticker,
    pollIntervalMs: 1_000,
    holdScanEveryPolls: options.holdScanEveryPolls ?? 5,
    resyncEveryPolls: options.resyncEveryPolls ?? 30,
    maxLag: options.maxLag,
  });
  return {
    watches,
    holds: holdStore,
    booked,
    bus,
    time,
    clock,
    setTickets: (next: TicketSeat[]) => (tickets = next),
    open(eventId = EVENT) {
      const controller = new AbortController();
      const stream = watches.watch(eventId, controller.signal);
      return { stream, controller, next: async (): Promise<WatchUpdate> => (await stream.next()).value as WatchUpdate };
    },
  };
}

const statuses = (update: WatchUpdate) => Object.fromEntries(update.changes.map((c) => [c.ticketId, c.status]));

describe("watching an event's tickets", () => {
  it.each([
    { nodes: "answering", down: false, t1: "reserved" },
    { nodes: "without a quorum: booked from the database, the rest available, holds unknown", down: true, t1: "available" },
  ])("starts with every ticket's current status, lock nodes $nodes", async ({ down, t1 }) => {
    const inner = new FakeHolds();
    const { holds, state } = switchableHolds(inner);
    await inner.hold(["t1"], 60_000);
    state.down = down;
    const { booked, open } = setup({ holds });
    booked.add("t2");
    expect(await open().next()).toEqual({
      snapshot: true,
      changes: [
        { ticketId: "t1", status: t1 },
        { ticketId: "t2", status: "booked" },
        { ticketId: "t3", status: "available" },
      ],
      holdsUnknown: down,
    });
  });

  it("passes on a reservation published by booking without waiting for a poll", async () => {
    const { holds, bus, open, time } = setup();
    const watcher = open();
    await watcher.next();
    await holds.hold(["t3"], 60_000);
    await bus.publish(EVENT, [{ ticketId: "t3", status: "reserved" }]);
    expect(await watcher.next()).toEqual({ snapshot: false, changes: [{ ticketId: "t3", status: "reserved" }], holdsUnknown: false });
    await time.tick();
    // The poll agrees with the message: nothing more to send.
    await bus.publish(EVENT, [{ ticketId: "t1", status: "booked" }]);
    expect(statuses(await watcher.next())).toEqual({ t1: "booked" });
  });

  it("reports a hold that expired, which publishes nothing, at the next poll", async () => {
    const { holds, clock, open, time } = setup();
    await holds.hold(["t2"], 5_000);
    const watcher = open();
    expect(statuses(await watcher.next()).t2).toBe("reserved");
    clock.advance(5_000);
    await time.tick();
    expect(await watcher.next()).toEqual({ snapshot: false, changes: [{ ticketId: "t2", status: "available" }], holdsUnknown: false });
  });

  it("reports a hold that vanished because its ticket was booked as booked, never as available", async () => {
    const { holds, booked, open, time } = setup();
    await holds.hold(["t1"], 60_000);
    const watcher = open();
    await watcher.next();
    // Booking committed and released its lock, but its message was lost.
    booked.add("t1");
    await holds.release(["t1"]);
    await time.tick();
    expect(await watcher.next()).toEqual({ snapshot: false, changes: [{ ticketId: "t1", status: "booked" }], holdsUnknown: false });
  });

  it("lets a message that arrives during a poll win over what that poll read", async () => {
    let releaseRead: (() => void) | undefined;
    let slow = false;
    const inner = new FakeHolds();
    const holds: HoldReader = {
      async holders(ids) {
        const answer = await inner.holders(ids);
        if (slow) await new Promise<void>((resolve) => (releaseRead = resolve));
        return answer;
      },
      eventHolds: () => inner.eventHolds(),
    };
    const { bus, open, time } = setup({ holds });
    const watcher = open();
    await watcher.next();
    slow = true;
    const polling = time.tick();
    await new Promise((resolve) => setImmediate(resolve));
    // The hold is taken after the poll read the lock nodes, and announced before it finished.
    await inner.hold(["t2"], 60_000);
    await bus.publish(EVENT, [{ ticketId: "t2", status: "reserved" }]);
    releaseRead!();
    await polling;
    expect(await watcher.next()).toEqual({ snapshot: false, changes: [{ ticketId: "t2", status: "reserved" }], holdsUnknown: false });
    slow = false;
    await bus.publish(EVENT, [{ ticketId: "t3", status: "booked" }]);
    // No flicker back to available in between: the next change is t3's.
    expect(statuses(await watcher.next())).toEqual({ t3: "booked" });
  });

  it("between scans asks the lock nodes only about held tickets, and finds a hold whose message was lost in the event's hold index at the next scan", async () => {
    const asked: Array<number | "index"> = [];
    const inner = new FakeHolds();
    const holds: HoldReader = {
      holders(ids) {
        asked.push(ids.length);
        return inner.holders(ids);
      },
      eventHolds: () => {
        asked.push("index");
        return inner.eventHolds();
      },
    };
    const { open, time } = setup({ tickets: seats(100), holds, holdScanEveryPolls: 3 });
    const watcher = open();
    await watcher.next();
    await inner.hold(["t7"], 60_000); // no message
    await inner.hold(["t9"], 60_000);
    await time.tick(2);
    // The first read (the snapshot) is the index; then two polls asking about no held ticket.
    expect(asked).toEqual(["index", 0, 0]);
    let received: WatchUpdate | undefined;
    void watcher.next().then((update) => (received = update));
    await time.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(received && statuses(received)).toEqual({ t7: "reserved", t9: "reserved" });
    await time.tick();
    expect(asked.slice(3)).toEqual(["index", 2]);
  });

  it("repairs a lost booking message at the periodic full read", async () => {
    const { booked, open, time } = setup({ resyncEveryPolls: 3 });
    const watcher = open();
    await watcher.next();
    booked.add("t3");
    await time.tick(2);
    let received: WatchUpdate | undefined;
    void watcher.next().then((update) => (received = update));
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toBeUndefined();
    await time.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual({ snapshot: false, changes: [{ ticketId: "t3", status: "booked" }], holdsUnknown: false });
  });

  it("sends a new snapshot when the event's tickets were regenerated", async () => {
    const { open, time, setTickets } = setup({ resyncEveryPolls: 1 });
    const watcher = open();
    await watcher.next();
    setTickets(seats(2).map((t) => ({ ...t, id: `n${t.id}` })));
    await time.tick();
    expect(await watcher.next()).toEqual({
      snapshot: true,
      changes: [
        { ticketId: "nt1", status: "available" },
        { ticketId: "nt2", status: "available" },
      ],
      holdsUnknown: false,
    });
  });

  it("gives a slow reader what it missed in order, and past maxLag messages one fresh snapshot instead", async () => {
    const { bus, open } = setup({ maxLag: 2 });
    const watcher = open();
    await watcher.next();
    await bus.publish(EVENT, [{ ticketId: "t1", status: "reserved" }]);
    await bus.publish(EVENT, [{ ticketId: "t2", status: "reserved" }]);
    expect(statuses(await watcher.next())).toEqual({ t1: "reserved" });
    expect(statuses(await watcher.next())).toEqual({ t2: "reserved" });

    for (const status of ["available", "reserved", "booked", "available", "booked"] as const) await bus.publish(EVENT, [{ ticketId: "t1", status }]);
    expect(await watcher.next()).toEqual({
      snapshot: true,
      changes: [
        { ticketId: "t1", status: "booked" },
        { ticketId: "t2", status: "reserved" },
        { ticketId: "t3", status: "available" },
      ],
      holdsUnknown: false,
    });
    await bus.publish(EVENT, [{ ticketId: "t3", status: "reserved" }]);
    expect(statuses(await watcher.next())).toEqual({ t3: "reserved" });
  });

  it("builds the snapshot once per state for all of an event's watchers and hands them the same update objects", async () => {
    const current = vi.spyOn(EventTicketState.prototype, "current");
    try {
      const { bus, open } = setup({ tickets: seats(2_400) });
      const watchers = Array.from({ length: 200 }, () => open());
      const snapshots = await Promise.all(watchers.map((watcher) => watcher.next()));
      expect(current).toHaveBeenCalledTimes(1);
      expect(new Set(snapshots).size).toBe(1);
      expect(snapshots[0]!.changes).toHaveLength(2_400);

      await bus.publish(EVENT, [{ ticketId: "t5", status: "reserved" }]);
      const changes = await Promise.all(watchers.map((watcher) => watcher.next()));
      expect(new Set(changes).size).toBe(1);
      expect(changes[0]).toEqual({ snapshot: false, changes: [{ ticketId: "t5", status: "reserved" }], holdsUnknown: false });
      expect(current).toHaveBeenCalledTimes(1);
      await Promise.all(watchers.map((watcher) => watcher.stream.return(undefined)));
    } finally {
      current.mockRestore();
    }
  });

  it("turns each change into its compact message once for all compact watchers, reading the layout once", async () => {
    const { bus, watches } = setup();
    const layout: SeatPositions = { version: "L1", seatCount: 3, sections: [], positionOf: new Map([["t1", 0], ["t2", 1], ["t3", 2]]) };
    const layoutOf = vi.fn(async () => layout);
    const controller = new AbortController();
    const watchers = Array.from({ length: 100 }, () => watches.watchCompact(EVENT, controller.signal, layoutOf));
    const snapshots = await Promise.all(watchers.map((watcher) => watcher.next()));
    expect(new Set(snapshots.map((first) => first.value)).size).toBe(1);
    expect(layoutOf).toHaveBeenCalledTimes(1);
    await bus.publish(EVENT, [{ ticketId: "t2", status: "booked" }]);
    const changes = await Promise.all(watchers.map((watcher) => watcher.next()));
    expect(new Set(changes.map((change) => change.value)).size).toBe(1);
    expect((changes[0]!.value as CompactWatchUpdate).seatChanges).toEqual([{ position: 1, status: "booked" }]);
    controller.abort();
    await Promise.all(watchers.map((watcher) => watcher.next()));
    await new Promise((resolve) => setImmediate(resolve));
    expect(watches.watchedEvents()).toEqual([]);
  });

  it("shares one subscription and one poller among an event's watchers and stops both when the last leaves", async () => {
    const inner = new InProcessTicketStatusBus();
    let subscriptions = 0;
    const bus: TicketStatusBus = {
      publish: (eventId, changes) => inner.publish(eventId, changes),
      async subscribe(eventId, listener) {
        subscriptions += 1;
        const off = await inner.subscribe(eventId, listener);
        return async () => {
          subscriptions -= 1;
          await off();
        };
      },
    };
    const { open, time, watches } = setup({ bus });
    const first = open();
    const second = open();
    await Promise.all([first.next(), second.next()]);
    expect([subscriptions, time.running()]).toEqual([1, 1]);
    await bus.publish(EVENT, [{ ticketId: "t1", status: "reserved" }]);
    expect(statuses(await first.next())).toEqual({ t1: "reserved" });
    expect(statuses(await second.next())).toEqual({ t1: "reserved" });

    await first.stream.return(undefined);
    expect([subscriptions, time.running()]).toEqual([1, 1]);
    second.controller.abort();
    expect((await second.stream.next()).done).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect([subscriptions, time.running(), watches.watchedEvents()]).toEqual([0, 0, []]);
  });

  it("shows held tickets as available while the lock nodes are down, says so, and brings the holds back at the first poll after", async () => {
    const inner = new FakeHolds();
    const { holds, state } = switchableHolds(inner);
    await inner.hold(["t1", "t3"], 60_000);
    const { booked, open, time } = setup({ holds, holdScanEveryPolls: 1_000 });
    const watcher = open();
    expect((await watcher.next()).holdsUnknown).toBe(false);

    state.down = true;
    booked.add("t3"); // its buyer confirmed straight against the database meanwhile
    await time.tick();
    expect(await watcher.next()).toEqual({
      snapshot: false,
      changes: [
        { ticketId: "t1", status: "available" },
        { ticketId: "t3", status: "booked" },
      ],
      holdsUnknown: true,
    });

    // No hold was known when the nodes came back, yet the next poll asks about every unbooked ticket.
    state.down = false;
    await time.tick();
    expect(await watcher.next()).toEqual({ snapshot: false, changes: [{ ticketId: "t1", status: "reserved" }], holdsUnknown: false });
  });

  it("tells watchers when only the holds' readability changed", async () => {
    const { holds, state } = switchableHolds(new FakeHolds());
    const { open, time } = setup({ holds });
    const watcher = open();
    await watcher.next();
    state.down = true;
    await time.tick();
    expect(await watcher.next()).toEqual({ snapshot: false, changes: [], holdsUnknown: true });
    state.down = false;
    await time.tick();
    expect(await watcher.next()).toEqual({ snapshot: false, changes: [], holdsUnknown: false });
  });

  it("answers not found for an unknown event and leaves nothing running", async () => {
    const { open, time, watches } = setup();
    await expect(open("nope").next()).rejects.toMatchObject({ kind: "not_found" });
    expect([time.running(), watches.watchedEvents()]).toEqual([0, []]);
  });

  it("ends every stream normally when the service drains", async () => {
    const { open, watches } = setup();
    const watcher = open();
    await watcher.next();
    const pending = watcher.stream.next();
    watches.endAll();
    expect((await pending).done).toBe(true);
  });
});
