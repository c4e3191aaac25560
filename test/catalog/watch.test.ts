import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, redisAvailable, requireService } from "../support/real-services.js";
import { eventually } from "../support/spawned-service.js";
import { startCatalogFixture, type CatalogFixture, type CatalogReplica } from "./catalog-fixture.js";
import { watch } from "./watch-client.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable());

describe.skipIf(!ready)("WatchEventTickets across replicas, on real PostgreSQL and Redis pub/sub", () => {
  let fixture: CatalogFixture;
  let otherReplica: CatalogReplica;
  let eventId: string;
  let tickets: string[];

  beforeAll(async () => {
    fixture = await startCatalogFixture();
    otherReplica = await fixture.startReplica();
    const venueId = await fixture.createVenue("Watch Hall", [{ code: "A", rows: [{ label: "1", seats: 10 }] }]);
    ({ eventId } = await fixture.createEvent(venueId, { A: 2_500 }));
    tickets = await fixture.ticketIds(eventId);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it("starts with every ticket's status, then shows a reservation made by another client on every replica", async () => {
    const [reserved] = tickets as [string];
    const here = watch(fixture.client, eventId);
    const there = watch(otherReplica.client, eventId);
    try {
      await eventually(async () => expect([here.state.size, there.state.size]).toEqual([10, 10]));
      expect(here.received[0]).toMatchObject({ snapshot: true, changes: 10 });
      expect(new Set(here.state.values())).toEqual(new Set(["available"]));

      // Booking, on its own replica: the hold on a quorum of masters, then the message.
      await fixture.holdOnQuorum([reserved], 60_000);
      const published = performance.now();
      await fixture.publish(eventId, [{ ticketId: reserved, status: "reserved" }]);
      const [seenHere, seenThere] = await Promise.all([here.until(reserved, "reserved"), there.until(reserved, "reserved")]);
      console.log(`[measure] reservation reached watchers on two replicas after ${Math.round(seenHere - published)} / ${Math.round(seenThere - published)} ms`);
    } finally {
      await Promise.all([here.stop(), there.stop()]);
      await fixture.dropHolds([reserved]);
    }
  });

  it("shows a hold that expired, which nobody announces, as available within about a second", async () => {
    const [, expiring] = tickets as [string, string];
    const watcher = watch(fixture.client, eventId);
    try {
      await fixture.holdOnQuorum([expiring], 1_500);
      await watcher.until(expiring, "reserved");
      const expired = performance.now() + 1_500;
      const seen = await watcher.until(expiring, "available");
      console.log(`[measure] an expired hold reached the watcher ${Math.max(0, Math.round(seen - expired))} ms after its TTL (poll every 1000 ms)`);
    } finally {
      await watcher.stop();
    }
  });

  it("shows a released hold as available and a confirmed booking as booked", async () => {
    const [, , released, booked] = tickets as [string, string, string, string];
    const watcher = watch(fixture.client, eventId);
    try {
      await fixture.holdOnQuorum([released, booked], 60_000);
      await fixture.publish(eventId, [
        { ticketId: released, status: "reserved" },
        { ticketId: booked, status: "reserved" },
      ]);
      await watcher.until(booked, "reserved");
      await fixture.dropHolds([released]);
      await fixture.publish(eventId, [{ ticketId: released, status: "available" }]);
      await fixture.book(eventId, [booked]);
      await fixture.dropHolds([booked]);
      await fixture.publish(eventId, [{ ticketId: booked, status: "booked" }]);
      await watcher.until(released, "available");
      await watcher.until(booked, "booked");
    } finally {
      await watcher.stop();
    }
  });

  it("answers NOT_FOUND for an unknown event", async () => {
    const watcher = watch(fixture.client, "00000000-0000-4000-8000-000000000000");
    await eventually(async () => expect(watcher.failure()).toBeDefined());
    expect(ConnectError.from(watcher.failure()).code).toBe(Code.NotFound);
  });
});
