import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/spawned-service.js";
import { postgresAvailable, redisAvailable, requireService } from "../support/real-services.js";
import { startCatalogFixture, statusName, type CatalogFixture } from "./catalog-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable());

describe.skipIf(!ready)("GetEvent on real PostgreSQL and three Redis masters", () => {
  let fixture: CatalogFixture;
  let eventId: string;
  let tickets: string[];

  beforeAll(async () => {
    fixture = await startCatalogFixture();
    const venueId = await fixture.createVenue("Harbour Theatre", [
      { code: "STALLS", rows: [{ label: "A", seats: 4 }, { label: "B", seats: 4 }] },
      { code: "STANDING", generalAdmissionCapacity: 4 },
    ]);
    ({ eventId } = await fixture.createEvent(venueId, { STALLS: 4_500, STANDING: 2_000 }));
    tickets = await fixture.ticketIds(eventId);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  async function statusOf(): Promise<Map<string, string>> {
    const response = await fixture.client.getEvent({ eventId });
    return new Map(response.tickets.map((t) => [t.id, statusName(t.status)]));
  }

  it("merges booked from PostgreSQL, reserved from a quorum of lock nodes, and available for the rest", async () => {
    const [booked, reserved, heldByOneNode, bookedAndStillHeld] = tickets as [string, string, string, string];
    await fixture.book(eventId, [booked, bookedAndStillHeld]);
    await fixture.holdOnQuorum([reserved, bookedAndStillHeld], 60_000);
    await fixture.holdOnQuorum([heldByOneNode], 60_000, 1);
    try {
      const status = await statusOf();
      expect(status.get(booked)).toBe("booked");
      expect(status.get(reserved)).toBe("reserved");
      // One node of three is no quorum: Redlock would not consider it held either.
      expect(status.get(heldByOneNode)).toBe("available");
      // A buyer who lost the race may still hold the lock; the database decides.
      expect(status.get(bookedAndStillHeld)).toBe("booked");
      expect([...status.values()].filter((s) => s === "available")).toHaveLength(tickets.length - 3);
    } finally {
      await fixture.dropHolds([reserved, heldByOneNode, bookedAndStillHeld]);
    }
  });

  it("shows a ticket whose hold expired as available again", async () => {
    const ticket = tickets[5]!;
    await fixture.holdOnQuorum([ticket], 400);
    expect((await statusOf()).get(ticket)).toBe("reserved");
    await eventually(async () => expect((await statusOf()).get(ticket)).toBe("available"), 10_000, 100);
  });

  it("returns the venue with its seat map, the performers and per-section counts by status", async () => {
    const response = await fixture.client.getEvent({ eventId });
    expect(response.venue?.name).toBe("Harbour Theatre");
    expect(response.venue?.capacity).toBe(12);
    expect(response.venue?.seatMap?.sections.map((s) => s.code)).toEqual(["STALLS", "STANDING"]);
    expect(response.tickets.map((t) => `${t.section}/${t.row}/${t.seat}`)).toEqual([
      "STALLS/A/1", "STALLS/A/2", "STALLS/A/3", "STALLS/A/4",
      "STALLS/B/1", "STALLS/B/2", "STALLS/B/3", "STALLS/B/4",
      "STANDING//1", "STANDING//2", "STANDING//3", "STANDING//4",
    ]);
    const sections = response.sections.map((s) => [s.section, Number(s.price?.amountMinor), s.available, s.reserved, s.booked]);
    const booked = response.tickets.filter((t) => statusName(t.status) === "booked");
    expect(sections.reduce((sum, s) => sum + (s[4] as number), 0)).toBe(booked.length);
    expect(sections.map((s) => s.slice(0, 2))).toEqual([
      ["STALLS", 4_500],
      ["STANDING", 2_000],
    ]);
  });

  it("answers NOT_FOUND for an event that does not exist", async () => {
    const error = await fixture.client.getEvent({ eventId: "00000000-0000-4000-8000-000000000000" }).catch((e: unknown) => e);
    expect(ConnectError.from(error).code).toBe(Code.NotFound);
  });
});

describe.skipIf(!ready)("GetEvent for a 50,000-seat stadium", { timeout: 120_000 }, () => {
  let fixture: CatalogFixture;

  beforeAll(async () => {
    fixture = await startCatalogFixture();
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it("returns all 50,000 tickets with each one's live status and section counts that add up", async () => {
    const sections = Array.from({ length: 40 }, (_, i) => ({
      code: String(i < 20 ? 101 + i : 281 + i),
      rows: Array.from({ length: 25 }, (_, r) => ({ label: String(r + 1), seats: 50 })),
    }));
    const venueId = await fixture.createVenue("Pacific Crest Stadium", sections);
    const prices = Object.fromEntries(sections.map((s, i) => [s.code, i < 20 ? 12_000 : 6_500]));
    const { eventId, ticketsCreated } = await fixture.createEvent(venueId, prices);
    expect(ticketsCreated).toBe(50_000);

    const ids = await fixture.ticketIds(eventId);
    const booked = ids.slice(0, 1_000);
    const held = ids.slice(1_000, 1_500);
    await fixture.book(eventId, booked);
    await fixture.holdOnQuorum(held, 60_000);

    const first = await fixture.client.getEvent({ eventId });
    // The second read comes from the cached static part; both must agree to the ticket.
    const second = await fixture.client.getEvent({ eventId });
    for (const response of [first, second]) {
      expect(response.tickets).toHaveLength(50_000);
      expect(new Set(response.tickets.map((t) => t.id)).size).toBe(50_000);
      const count = (status: string) => response.tickets.filter((t) => statusName(t.status) === status).length;
      expect([count("booked"), count("reserved"), count("available")]).toEqual([1_000, 500, 48_500]);
      const status = new Map(response.tickets.map((t) => [t.id, statusName(t.status)]));
      expect(booked.every((id) => status.get(id) === "booked")).toBe(true);
      expect(held.every((id) => status.get(id) === "reserved")).toBe(true);
      expect(response.sections).toHaveLength(40);
      const totals = response.sections.reduce((sum, s) => [sum[0]! + s.available, sum[1]! + s.reserved, sum[2]! + s.booked], [0, 0, 0]);
      expect(totals).toEqual([48_500, 500, 1_000]);
      expect(response.sections.every((s) => s.available + s.reserved + s.booked === 1_250)).toBe(true);
    }
    expect(second.tickets.map((t) => [t.id, t.section, t.row, t.seat, t.price?.amountMinor])).toEqual(
      first.tickets.map((t) => [t.id, t.section, t.row, t.seat, t.price?.amountMinor]),
    );
    await fixture.dropHolds(held);
  });
});
