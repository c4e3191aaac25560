import { describe, expect, it } from "vitest";
import { HoldsUnavailableError, type HoldReader } from "../../shared/holds/ticket-holds.js";
import type { EventStatic } from "./catalog-types.js";
import { seatState } from "./seat-availability.js";
import { createStadiumView } from "./stadium-view.js";

const part = (price: number): EventStatic => ({
  event: { id: "e1", name: "Final", description: "", type: "sports", status: "scheduled", venueId: "v1", startsAt: new Date(0), endsAt: new Date(1), onSaleAt: null, highDemand: true, purchaseLimit: 8, currency: "GBP", performerIds: [] },
  venue: { id: "v1", name: "Ground", address: "", city: "Leeds", country: "GB", latitude: 0, longitude: 0, timezone: "Europe/London", capacity: 3, seatMap: { sections: [{ code: "A", name: "A", kind: "seated", rows: [{ label: "1", seats: 3 }] }] } },
  performers: [],
  tickets: [1, 2, 3].map((seat) => ({ id: `t${seat}`, section: "A", row: "1", seat, priceMinor: price, currency: "GBP" })),
});

function setup(holds: HoldReader = { holders: async () => new Map(), eventHolds: async () => new Map([["t3", { token: "h", expiresAtMs: 9e15 }]]) }) {
  const calls = { staticPart: 0, booked: 0 };
  let price = 1_000;
  let now = 0;
  const view = createStadiumView({
    staticPart: async () => {
      calls.staticPart += 1;
      return part(price);
    },
    store: {
      bookedTicketIds: async () => {
        calls.booked += 1;
        return ["t2"];
      },
    },
    holds,
    now: () => now,
    maxAgeMs: 1_000,
  });
  return { view, calls, reprice: (next: number) => (price = next), advance: (ms: number) => (now += ms) };
}

describe("the stadium view", () => {
  it("shares one build of the bits among the views of a second, and builds again after", async () => {
    const { view, calls, advance } = setup();
    const [first, second] = await Promise.all([view.availability("e1"), view.availability("e1")]);
    expect(second).toBe(first);
    expect([0, 1, 2].map((position) => seatState(first.bits, position))).toEqual(["available", "booked", "reserved"]);
    expect(first.sections).toEqual([{ code: "A", available: 1, reserved: 1, booked: 1 }]);
    expect(calls.booked).toBe(1);
    advance(1_000);
    await view.availability("e1");
    expect(calls.booked).toBe(2);
  });

  it("looks again before refusing a layout version it does not know, then answers it", async () => {
    const { view, reprice } = setup();
    const old = await view.layout("e1");
    reprice(1_500);
    const other = await view.layout("e1", true);
    expect(other.version).not.toBe(old.version);
    // Our memo holds the new layout; a request for it (seen first on another replica) is served.
    expect((await view.layoutVersion("e1", other.version)).version).toBe(other.version);
  });

  it("refuses a version that is no longer the event's with not_found naming the current one", async () => {
    const { view, reprice, advance } = setup();
    const old = await view.layout("e1");
    reprice(1_500);
    // Within the second the old layout is still the one served; after it, the new one is.
    expect((await view.layoutVersion("e1", old.version)).version).toBe(old.version);
    advance(1_000);
    const refusal = await view.layoutVersion("e1", old.version).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ kind: "not_found", details: { field: "version" } });
    expect((refusal as Error).message).toContain((await view.layout("e1")).version);
  });

  it("says holds are unknown and shows the unbooked seats available when the lock nodes have no quorum", async () => {
    const { view } = setup({
      holders: async () => new Map(),
      eventHolds: async () => {
        throw new HoldsUnavailableError("1 of 3 lock nodes answered");
      },
    });
    const availability = await view.availability("e1");
    expect(availability.holdsKnown).toBe(false);
    expect([0, 1, 2].map((position) => seatState(availability.bits, position))).toEqual(["available", "booked", "available"]);
  });
});
