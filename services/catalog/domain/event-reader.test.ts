import { describe, expect, it } from "vitest";
import { InMemoryCache } from "../../shared/cache/in-memory-cache.js";
import { HoldsUnavailableError, type HoldReader } from "../../shared/holds/ticket-holds.js";
import type { EventStatic } from "./catalog-types.js";
import { createEventReader, type EventStore } from "./event-reader.js";

const stadiumPart = (name: string): EventStatic => ({
  event: {
    id: "e1",
    name,
    description: "",
    type: "sports",
    status: "scheduled",
    venueId: "v1",
    startsAt: new Date("2030-05-01T19:00:00Z"),
    endsAt: new Date("2030-05-01T21:30:00Z"),
    onSaleAt: null,
    highDemand: true,
    purchaseLimit: 8,
    currency: "USD",
    performerIds: [],
  },
  venue: {
    id: "v1",
    name: "Stadium",
    address: "",
    city: "Los Angeles",
    country: "US",
    latitude: 34,
    longitude: -118,
    timezone: "America/Los_Angeles",
    capacity: 3,
    seatMap: {
      sections: [
        { code: "UPPER", name: "Upper", kind: "seated", rows: [{ label: "1", seats: 1 }] },
        { code: "LOWER", name: "Lower", kind: "seated", rows: [{ label: "9", seats: 1 }, { label: "10", seats: 1 }] },
      ],
    },
  },
  performers: [],
  // As the database returns them: in no particular order.
  tickets: [
    { id: "t3", section: "LOWER", row: "10", seat: 1, priceMinor: 900, currency: "USD" },
    { id: "t1", section: "UPPER", row: "1", seat: 1, priceMinor: 500, currency: "USD" },
    { id: "t2", section: "LOWER", row: "9", seat: 1, priceMinor: 900, currency: "USD" },
  ],
});

function countingStore(part: () => EventStatic) {
  const calls = { loadEvent: 0 };
  let release: (() => void) | undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store: EventStore = {
    async loadEvent(eventId) {
      calls.loadEvent += 1;
      await gate;
      return eventId === "e1" ? part() : undefined;
    },
    bookedTicketIds: async () => ["t2"],
    bookedAmong: async () => [],
  };
  return { store, calls, open: () => release!() };
}

/** Derby Day (t2 booked) read once through a reader whose lock nodes answer with `holds`. */
function readDerbyDay(holds: HoldReader) {
  const { store, open } = countingStore(() => stadiumPart("Derby Day"));
  open();
  return createEventReader({ store, holds, cache: new InMemoryCache(), cacheTtlMs: 60_000 }).getEvent("e1");
}

const failingWith = (error: Error): HoldReader => ({
  holders: async () => {
    throw error;
  },
  eventHolds: async () => {
    throw error;
  },
});

describe("reading an event", () => {
  it("lists tickets as the venue lays them out and merges their live status", async () => {
    const view = await readDerbyDay({ holders: async () => new Map([["t3", "h"]]), eventHolds: async () => new Map([["t3", { token: "h", expiresAtMs: Date.now() + 60_000 }]]) });
    expect(view.tickets.map((t) => [t.id, t.status])).toEqual([
      ["t1", "available"],
      ["t2", "booked"],
      ["t3", "reserved"],
    ]);
    expect(view.holdsKnown).toBe(true);
  });

  it("without a quorum of lock nodes shows booked from the database, the rest available, and says holds are unknown", async () => {
    const view = await readDerbyDay(failingWith(new HoldsUnavailableError("1 of 3 lock nodes answered")));
    expect(view.tickets.map((t) => [t.id, t.status])).toEqual([
      ["t1", "available"],
      ["t2", "booked"],
      ["t3", "available"],
    ]);
    expect(view.holdsKnown).toBe(false);
  });

  it("lets an unexpected failure of the hold reader fail the read", async () => {
    await expect(readDerbyDay(failingWith(new TypeError("a bug")))).rejects.toThrow("a bug");
  });

  it("lets concurrent readers of a cold event share one database read, and later ones use the cache", async () => {
    const { store, calls, open } = countingStore(() => stadiumPart("Derby Day"));
    const reader = createEventReader({ store, holds: { holders: async () => new Map(), eventHolds: async () => new Map() }, cache: new InMemoryCache(), cacheTtlMs: 60_000 });
    const views = Promise.all(Array.from({ length: 50 }, () => reader.getEvent("e1")));
    open();
    expect((await views).every((view) => view.event.name === "Derby Day")).toBe(true);
    await reader.getEvent("e1");
    expect(calls.loadEvent).toBe(1);
  });

  it("does not remember that an event was missing", async () => {
    let exists = false;
    const store: EventStore = {
      loadEvent: async () => (exists ? stadiumPart("Late Addition") : undefined),
      bookedTicketIds: async () => [],
      bookedAmong: async () => [],
    };
    const reader = createEventReader({ store, holds: { holders: async () => new Map(), eventHolds: async () => new Map() }, cache: new InMemoryCache(), cacheTtlMs: 60_000 });
    await expect(reader.getEvent("e1")).rejects.toMatchObject({ kind: "not_found" });
    exists = true;
    expect((await reader.getEvent("e1")).event.name).toBe("Late Addition");
  });
});
