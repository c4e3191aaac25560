import { describe, expect, it } from "vitest";
import type { EventStatic, TicketSeat } from "./catalog-types.js";
import { buildEventLayout } from "./event-layout.js";

/** Tickets as GetEvent orders them (layout order): a seated section of two rows and a standing area. */
function eventWith(tickets: TicketSeat[]): EventStatic {
  return {
    event: { id: "e1", name: "Cup Final", description: "", type: "sports", status: "scheduled", venueId: "v1", startsAt: new Date(0), endsAt: new Date(1), onSaleAt: null, highDemand: true, purchaseLimit: 8, currency: "GBP", performerIds: [] },
    venue: {
      id: "v1", name: "Ground", address: "", city: "Leeds", country: "GB", latitude: 0, longitude: 0, timezone: "Europe/London", capacity: tickets.length,
      seatMap: { sections: [{ code: "N", name: "North Stand", kind: "seated", rows: [{ label: "A", seats: 3 }, { label: "B", seats: 2 }] }, { code: "PIT", name: "Pitch", kind: "general_admission", capacity: 2 }] },
    },
    performers: [],
    tickets,
  };
}

const seat = (id: string, section: string, row: string | null, number: number | null, priceMinor = 4_000): TicketSeat => ({ id, section, row, seat: number, priceMinor, currency: "GBP" });

const cupFinal = () =>
  eventWith([
    seat("a1", "N", "A", 1),
    seat("a2", "N", "A", 2),
    seat("a3", "N", "A", 3, 5_000),
    seat("b1", "N", "B", 1),
    seat("b2", "N", "B", 2),
    seat("p1", "PIT", null, 1, 2_500),
    seat("p2", "PIT", null, 2, 2_500),
  ]);

describe("an event's layout", () => {
  it("describes rows as runs of consecutive seats at one price, prices by index", () => {
    const layout = buildEventLayout(cupFinal());
    expect(layout.prices).toEqual([
      { priceMinor: 4_000, currency: "GBP" },
      { priceMinor: 5_000, currency: "GBP" },
      { priceMinor: 2_500, currency: "GBP" },
    ]);
    expect(layout.sections.map(({ code, name, generalAdmission, firstPosition, seatCount, rows }) => ({ code, name, generalAdmission, firstPosition, seatCount, rows }))).toEqual([
      {
        code: "N", name: "North Stand", generalAdmission: false, firstPosition: 0, seatCount: 5,
        rows: [
          { label: "A", runs: [{ firstSeat: 1, count: 2, priceIndex: 0 }, { firstSeat: 3, count: 1, priceIndex: 1 }] },
          { label: "B", runs: [{ firstSeat: 1, count: 2, priceIndex: 0 }] },
        ],
      },
      { code: "PIT", name: "Pitch", generalAdmission: true, firstPosition: 5, seatCount: 2, rows: [{ label: "", runs: [{ firstSeat: 1, count: 2, priceIndex: 2 }] }] },
    ]);
    expect(layout.sections[1]!.ticketIds).toEqual(["p1", "p2"]);
    expect(layout.positionOf.get("b2")).toBe(4);
    expect(layout.seatCount).toBe(7);
  });

  it("keeps its version while nothing changes", () => {
    expect(buildEventLayout(cupFinal()).version).toBe(buildEventLayout(cupFinal()).version);
  });

  it("changes version when a price changes", () => {
    const repriced = cupFinal();
    repriced.tickets[0] = { ...repriced.tickets[0]!, priceMinor: 4_100 };
    expect(buildEventLayout(repriced).version).not.toBe(buildEventLayout(cupFinal()).version);
  });

  it("changes version when the tickets are regenerated with new ids", () => {
    const regenerated = cupFinal();
    regenerated.tickets = regenerated.tickets.map((ticket) => ({ ...ticket, id: `${ticket.id}-new` }));
    expect(buildEventLayout(regenerated).version).not.toBe(buildEventLayout(cupFinal()).version);
  });

  it("changes version when the event shown beside the seats changes", () => {
    const renamed = cupFinal();
    renamed.event.name = "Cup Final (replay)";
    expect(buildEventLayout(renamed).version).not.toBe(buildEventLayout(cupFinal()).version);
  });

  it("changes version when a section is renamed", () => {
    const renamed = cupFinal();
    renamed.venue.seatMap.sections[0]!.name = "Kop";
    expect(buildEventLayout(renamed).version).not.toBe(buildEventLayout(cupFinal()).version);
  });
});
