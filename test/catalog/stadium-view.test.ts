import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { seatState } from "../../services/catalog/domain/seat-availability.js";
import { RedisTicketHolds } from "../../services/shared/holds/redis-ticket-holds.js";
import { postgresAvailable, redisAvailable, requireService } from "../support/real-services.js";
import { eventually } from "../support/spawned-service.js";
import { startCatalogFixture, type CatalogFixture } from "./catalog-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable());

/** Seat states of positions [from, to) as the bits say. */
const states = (bits: Uint8Array, from: number, to: number) => Array.from({ length: to - from }, (_, i) => seatState(bits, from + i));

describe.skipIf(!ready)("the stadium view: layout and availability bits on PostgreSQL and the three lock nodes", () => {
  let fixture: CatalogFixture;
  let holds: RedisTicketHolds;
  let venueId: string;

  beforeAll(async () => {
    fixture = await startCatalogFixture();
    holds = new RedisTicketHolds(fixture.lockNodes);
    venueId = await fixture.createVenue("Stadium View Park", [
      { code: "EAST", name: "East Stand", rows: [{ label: "A", seats: 4 }, { label: "B", seats: 3 }] },
      { code: "PIT", generalAdmissionCapacity: 5 },
    ]);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  /** The event's ticket ids in layout order, as the section lists give them. */
  async function layoutIds(eventId: string) {
    const { layout } = await fixture.client.getEventLayout({ eventId });
    const ids: string[] = [];
    for (const section of layout!.sections) ids.push(...(await fixture.client.getEventLayout({ eventId, section: section.code })).layout!.sectionTicketIds);
    return ids;
  }

  it("serves a compact layout whose version stays the same across views and changes when a price changes", async () => {
    const { eventId } = await fixture.createEvent(venueId, { EAST: 4_500, PIT: 2_000 });
    const first = (await fixture.client.getEventLayout({ eventId })).layout!;
    expect(first.seatCount).toBe(12);
    expect(first.prices.map((price) => Number(price.amountMinor))).toEqual([4_500, 2_000]);
    expect(first.sections.map((s) => [s.code, s.name, s.generalAdmission, s.firstPosition, s.seatCount])).toEqual([
      ["EAST", "East Stand", false, 0, 7],
      ["PIT", "Section PIT", true, 7, 5],
    ]);
    expect(first.sections[0]!.rows.map((row) => [row.label, row.runs.map((run) => [run.firstSeat, run.count, run.priceIndex])])).toEqual([
      ["A", [[1, 4, 0]]],
      ["B", [[1, 3, 0]]],
    ]);
    expect(first.sectionTicketIds).toEqual([]);
    const page = await fixture.client.getEventLayout({ eventId });
    expect([page.event?.id, page.venue?.id, page.venue?.name]).toEqual([eventId, venueId, "Stadium View Park"]);
    expect((await fixture.client.getEventLayout({ eventId })).layout!.version).toBe(first.version);
    expect((await fixture.client.getEventLayout({ eventId, version: first.version })).layout!.version).toBe(first.version);

    const admin = await fixture.as("ops", ["admin"]);
    const { event } = await fixture.client.getEvent({ eventId });
    await fixture.client.updateEvent(
      {
        eventId,
        event: {
          name: event!.name,
          type: event!.type,
          venueId,
          startsAt: event!.startsAt,
          endsAt: event!.endsAt,
          onSaleAt: event!.onSaleAt,
          priceTiers: [
            { section: "EAST", price: { amountMinor: 5_000n, currency: "GBP" } },
            { section: "PIT", price: { amountMinor: 2_000n, currency: "GBP" } },
          ],
        },
      },
      admin,
    );
    // The old version is gone as soon as the new one is known: a versioned address never names other content.
    const changed = await eventually(async () => {
      const { layout } = await fixture.client.getEventLayout({ eventId });
      expect(layout!.version).not.toBe(first.version);
      return layout!;
    }, 5_000, 100);
    expect(changed.prices.map((price) => Number(price.amountMinor))).toEqual([5_000, 2_000]);
    const gone = await fixture.client.getEventLayout({ eventId, version: first.version }).catch((error: unknown) => ConnectError.from(error));
    expect(gone).toBeInstanceOf(ConnectError);
    expect((gone as ConnectError).code).toBe(Code.NotFound);
    expect((gone as ConnectError).message).toContain(changed.version);
  });

  it("gives each section's ticket ids in layout order, and refuses a section the event does not have", async () => {
    const { eventId } = await fixture.createEvent(venueId, { EAST: 4_500, PIT: 2_000 });
    const ids = await layoutIds(eventId);
    expect(ids).toHaveLength(12);
    expect(new Set(ids)).toEqual(new Set(await fixture.ticketIds(eventId)));
    const rows: Array<{ id: string; row_label: string; seat_number: number }> = await fixture.database.db("tickets").where({ event_id: eventId, section: "EAST" }).select("id", "row_label", "seat_number");
    const place = new Map(rows.map((row) => [row.id, `${row.row_label}${row.seat_number}`]));
    expect(ids.slice(0, 7).map((id) => place.get(id))).toEqual(["A1", "A2", "A3", "A4", "B1", "B2", "B3"]);
    const refused = await fixture.client.getEventLayout({ eventId, section: "WEST" }).catch((error: unknown) => ConnectError.from(error));
    expect((refused as ConnectError).code).toBe(Code.InvalidArgument);
  });

  it("shows booked seats from PostgreSQL and holds from the event's hold index in the availability bits, with counts per section", async () => {
    const { eventId } = await fixture.createEvent(venueId, { EAST: 4_500, PIT: 2_000 });
    const ids = await layoutIds(eventId);
    const before = await fixture.client.getEventAvailability({ eventId });
    expect(before.seats.length).toBe(3);
    expect(states(before.seats, 0, 12).every((state) => state === "available")).toBe(true);

    await fixture.book(eventId, [ids[1]!, ids[8]!]);
    const held = await holds.hold({ eventId, ticketIds: [ids[2]!, ids[9]!], ttlMs: 60_000, userId: "buyer-1" });
    expect(held.kind).toBe("held");
    try {
      const after = await eventually(async () => {
        const response = await fixture.client.getEventAvailability({ eventId });
        expect(response.version).not.toBe(before.version);
        return response;
      }, 5_000, 100);
      expect(after.layoutVersion).toBe(before.layoutVersion);
      expect(states(after.seats, 0, 12)).toEqual([
        "available", "booked", "reserved", "available", "available", "available", "available",
        "available", "booked", "reserved", "available", "available",
      ]);
      expect(after.sections.map((s) => [s.code, s.available, s.reserved, s.booked])).toEqual([
        ["EAST", 5, 1, 1],
        ["PIT", 3, 1, 1],
      ]);
      expect(after.holdsUnknown).toBe(false);
    } finally {
      if (held.kind === "held") await holds.release({ eventId, ticketIds: [ids[2]!, ids[9]!], token: held.token });
    }
  });

  it("shows a seat whose hold expired as available", async () => {
    const { eventId } = await fixture.createEvent(venueId, { EAST: 4_500, PIT: 2_000 });
    const ids = await layoutIds(eventId);
    const held = await holds.hold({ eventId, ticketIds: [ids[0]!], ttlMs: 1_500, userId: "buyer-2" });
    expect(held.kind).toBe("held");
    await eventually(async () => expect(seatState((await fixture.client.getEventAvailability({ eventId })).seats, 0)).toBe("reserved"), 5_000, 100);
    await eventually(async () => expect(seatState((await fixture.client.getEventAvailability({ eventId })).seats, 0)).toBe("available"), 10_000, 200);
  });

  it("watched in the compact form, sends the layout and availability versions with the bits, then seat changes by position", async () => {
    const { eventId } = await fixture.createEvent(venueId, { EAST: 4_500, PIT: 2_000 });
    const ids = await layoutIds(eventId);
    const availability = await fixture.client.getEventAvailability({ eventId });
    const controller = new AbortController();
    const stream = fixture.client.watchEventTickets({ eventId, compact: true }, { signal: controller.signal })[Symbol.asyncIterator]();
    try {
      const first = (await stream.next()).value!;
      expect(first.snapshot).toBe(true);
      expect(first.changes).toEqual([]);
      expect(first.layoutVersion).toBe(availability.layoutVersion);
      expect(first.availabilityVersion).toBe(availability.version);
      expect(first.availability.length).toBe(3);

      await fixture.publish(eventId, [{ ticketId: ids[10]!, status: "reserved" }]);
      const next = (await stream.next()).value!;
      expect(next.snapshot).toBe(false);
      expect(next.availability.length).toBe(0);
      expect(next.seatChanges.map((change: { position: number; status: TicketStatus }) => [change.position, change.status])).toEqual([[10, TicketStatus.RESERVED]]);
      expect(next.availabilityVersion).not.toBe(first.availabilityVersion);
    } finally {
      controller.abort();
      await stream.return?.(undefined).catch(() => undefined);
    }
  });
});
