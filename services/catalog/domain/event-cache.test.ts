import { describe, expect, it } from "vitest";
import type { EventStatic, TicketSeat } from "./catalog-types.js";
import { decodeEventStatic, encodeEventStatic } from "./event-cache.js";

const seat = (id: string, section: string, row: string | null, number: number | null, priceMinor = 4_500): TicketSeat => ({
  id,
  section,
  row,
  seat: number,
  priceMinor,
  currency: "USD",
});

const staticPart = (tickets: TicketSeat[]): EventStatic => ({
  event: {
    id: "e1",
    name: "Neon Rivers Tour",
    description: "",
    type: "concert",
    status: "scheduled",
    venueId: "v1",
    startsAt: new Date("2030-05-01T19:30:00Z"),
    endsAt: new Date("2030-05-01T22:30:00Z"),
    onSaleAt: null,
    highDemand: true,
    purchaseLimit: 8,
    currency: "USD",
    performerIds: ["p1"],
  },
  venue: {
    id: "v1",
    name: "Arena",
    address: "",
    city: "New York",
    country: "US",
    latitude: 40.75,
    longitude: -74,
    timezone: "America/New_York",
    capacity: tickets.length,
    seatMap: { sections: [] },
  },
  performers: [{ id: "p1", name: "Taylor", genre: "pop", description: "" }],
  tickets,
});

describe("the cached form of an event's static part", () => {
  it("gives back exactly what was stored, dates and general admission included", () => {
    const tickets = [
      seat("a", "101", "1", 1),
      seat("b", "101", "1", 2),
      seat("c", "101", "1", 4), // a gap: a new run
      seat("d", "101", "2", 1),
      seat("e", "101", "2", 2, 9_900), // a price change: a new run
      seat("f", "FLOOR", null, 1),
      seat("g", "FLOOR", null, 2),
      seat("h", "FLOOR", null, null),
    ];
    const original = staticPart(tickets);
    const roundTrip = decodeEventStatic(JSON.parse(JSON.stringify(encodeEventStatic(original))));
    expect(roundTrip).toEqual(original);
    expect(roundTrip.event.startsAt).toBeInstanceOf(Date);
  });

  it("stores a stadium's seats as runs, far smaller than one object per ticket", () => {
    const tickets: TicketSeat[] = [];
    for (let section = 0; section < 40; section++) {
      for (let row = 1; row <= 25; row++) {
        for (let n = 1; n <= 50; n++) tickets.push(seat(crypto.randomUUID(), String(101 + section), String(row), n));
      }
    }
    const encoded = encodeEventStatic(staticPart(tickets));
    expect(encoded.runs).toHaveLength(40 * 25);
    expect(JSON.stringify(encoded).length).toBeLessThan(JSON.stringify(tickets).length / 2.5);
    expect(decodeEventStatic(encoded).tickets).toEqual(tickets);
  });
});
