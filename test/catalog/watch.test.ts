import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, redisAvailable, requireService } from "../support/real-services.js";
import { eventually } from "../support/spawned-service.js";
import { startCatalogFixture, type CatalogFixture, type CatalogReplica } from "./catalog-fixture.js";
import { watch } from "./watch-client.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable());

// The requirement: each change reaches watchers within a second.
const WITHIN_MS = 1_000;
const HOUR = 3_600_000;

async function eventWithSeats(fixture: CatalogFixture, name: string, seats: number) {
  const venueId = await fixture.createVenue(name, [{ code: "A", rows: [{ label: "1", seats }] }]);
  const { eventId } = await fixture.createEvent(venueId, { A: 2_500 });
  return { eventId, tickets: await fixture.ticketIds(eventId) };
}

// Every poll is off (the first would run after an hour), so whatever a watcher learns after its
// snapshot came through Redis pub/sub: a broken bus fails these tests instead of being covered
// up by the periodic scan.
describe.skipIf(!ready)("WatchEventTickets over Redis pub/sub across two replicas, with polling off", () => {
  let fixture: CatalogFixture;
  let otherReplica: CatalogReplica;
  let eventId: string;
  let tickets: string[];

  beforeAll(async () => {
    fixture = await startCatalogFixture({ watchPollIntervalMs: HOUR, watchHoldScanIntervalMs: HOUR, watchResyncIntervalMs: HOUR });
    otherReplica = await fixture.startReplica();
    ({ eventId, tickets } = await eventWithSeats(fixture, "Watch Hall", 10));
  });

  afterAll(async () => {
    await fixture?.close();
  });

  /** Both replicas' watchers, each with its full snapshot. */
  async function watchOnBoth() {
    const watchers = [watch(fixture.client, eventId), watch(otherReplica.client, eventId)];
    await eventually(async () => expect(watchers.map((w) => w.state.size)).toEqual([10, 10]), 10_000, 10);
    return watchers;
  }

  /** Publishes as booking does, then how late the change reached each watcher. */
  async function delivery(watchers: ReturnType<typeof watch>[], ticketId: string, status: "reserved" | "available" | "booked") {
    const published = performance.now();
    await fixture.publish(eventId, [{ ticketId, status }]);
    const seen = await Promise.all(watchers.map((w) => w.until(ticketId, status, 5_000)));
    return seen.map((at) => Math.round(at - published));
  }

  it("starts with every ticket's status, then shows a reservation made by another client on both replicas within a second", async () => {
    const [reserved] = tickets as [string];
    const watchers = await watchOnBoth();
    try {
      expect(watchers[0]!.received[0]).toMatchObject({ snapshot: true, changes: 10, holdsUnknown: false });
      expect(new Set(watchers[0]!.state.values())).toEqual(new Set(["available"]));
      // Booking, on its own replica: the hold on a quorum of masters, then the message.
      await fixture.holdOnQuorum([reserved], 60_000);
      const lateness = await delivery(watchers, reserved, "reserved");
      console.log(`[measure] a reservation reached watchers on two replicas after ${lateness.join(" / ")} ms`);
      for (const ms of lateness) expect(ms).toBeLessThan(WITHIN_MS);
    } finally {
      await Promise.all(watchers.map((w) => w.stop()));
      await fixture.dropHolds([reserved]);
    }
  });

  it("shows a released hold as available and a confirmed booking as booked on both replicas within a second", async () => {
    const [, released, booked] = tickets as [string, string, string];
    await fixture.holdOnQuorum([released, booked], 60_000);
    const watchers = await watchOnBoth();
    try {
      expect([watchers[0]!.state.get(released), watchers[1]!.state.get(booked)]).toEqual(["reserved", "reserved"]);
      await fixture.dropHolds([released]);
      const releasedLateness = await delivery(watchers, released, "available");
      await fixture.book(eventId, [booked]);
      await fixture.dropHolds([booked]);
      const bookedLateness = await delivery(watchers, booked, "booked");
      console.log(`[measure] a release reached them after ${releasedLateness.join(" / ")} ms, a booking after ${bookedLateness.join(" / ")} ms`);
      for (const ms of [...releasedLateness, ...bookedLateness]) expect(ms).toBeLessThan(WITHIN_MS);
    } finally {
      await Promise.all(watchers.map((w) => w.stop()));
    }
  });

  it("answers NOT_FOUND for an unknown event", async () => {
    const watcher = watch(fixture.client, "00000000-0000-4000-8000-000000000000");
    await eventually(async () => expect(watcher.failure()).toBeDefined());
    expect(ConnectError.from(watcher.failure()).code).toBe(Code.NotFound);
  });
});

// What pub/sub cannot tell: a hold that expires publishes nothing, and a message can be lost.
describe.skipIf(!ready)("WatchEventTickets polls of the lock nodes, with no message published", () => {
  const POLL_MS = 1_000;
  const SCAN_MS = 2_000;
  let fixture: CatalogFixture;
  let eventId: string;
  let tickets: string[];

  beforeAll(async () => {
    fixture = await startCatalogFixture({ watchPollIntervalMs: POLL_MS, watchHoldScanIntervalMs: SCAN_MS, watchResyncIntervalMs: HOUR });
    ({ eventId, tickets } = await eventWithSeats(fixture, "Poll Hall", 4));
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it("finds a hold whose reservation message was lost at the next scan of every unbooked ticket", async () => {
    const [unannounced] = tickets as [string];
    const watcher = watch(fixture.client, eventId);
    try {
      await eventually(async () => expect(watcher.state.size).toBe(4), 10_000, 10);
      const held = performance.now();
      await fixture.holdOnQuorum([unannounced], 60_000);
      const seen = await watcher.until(unannounced, "reserved", SCAN_MS * 3);
      console.log(`[measure] an unannounced hold reached the watcher after ${Math.round(seen - held)} ms (scan every ${SCAN_MS} ms)`);
      // The scan runs every SCAN_MS: a hold taken just after one waits for the next, plus the read.
      expect(seen - held).toBeLessThan(SCAN_MS + POLL_MS);
    } finally {
      await watcher.stop();
      await fixture.dropHolds([unannounced]);
    }
  });

  it("shows a hold that expired, which nobody announces, as available at the next poll", async () => {
    const [, expiring] = tickets as [string, string];
    const ttlMs = 1_500;
    await fixture.holdOnQuorum([expiring], ttlMs);
    const expires = performance.now() + ttlMs;
    // Watching after the hold was taken: the snapshot shows it reserved.
    const watcher = watch(fixture.client, eventId);
    try {
      await watcher.until(expiring, "reserved");
      const seen = await watcher.until(expiring, "available");
      console.log(`[measure] an expired hold reached the watcher ${Math.max(0, Math.round(seen - expires))} ms after its TTL (poll every ${POLL_MS} ms)`);
      // Polls of the held tickets run every POLL_MS: within a second of expiry, plus the read.
      expect(seen - expires).toBeLessThan(POLL_MS + 500);
    } finally {
      await watcher.stop();
    }
  });
});
