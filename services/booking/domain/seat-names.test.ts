import { describe, expect, it } from "vitest";
import type { InventoryTicket } from "./booking-types.js";
import { seatNames } from "./seat-names.js";

const ticket = (id: string, section: string, row: string | null, seat: number): InventoryTicket => ({
  id,
  eventId: "e1",
  section,
  row,
  seat,
  priceMinor: 100,
  currency: "GBP",
  booked: false,
});

describe("seat names", () => {
  const names = { MAIN: "Main Room", BAR: "Bar Standing" };

  it("name a seat by its section's name, row and number", () => {
    expect(seatNames([ticket("t1", "MAIN", "A", 3), ticket("t2", "MAIN", "B", 14)], names)).toBe("Main Room row A seat 3, Main Room row B seat 14");
  });

  it("name a general admission place by its area, counting places in the same area", () => {
    expect(seatNames([ticket("g1", "BAR", null, 5)], names)).toBe("Bar Standing");
    expect(seatNames([ticket("g1", "BAR", null, 5), ticket("g2", "BAR", null, 9)], names)).toBe("2 places in Bar Standing");
  });

  it("fall back to the section code when the venue has no name for it", () => {
    expect(seatNames([ticket("t1", "MAIN", "A", 3)])).toBe("MAIN row A seat 3");
  });
});
