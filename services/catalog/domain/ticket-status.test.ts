import { describe, expect, it } from "vitest";
import { mergeTicketStatus, summarizeSections } from "./ticket-status.js";
import type { TicketSeat } from "./catalog-types.js";

const ticket = (id: string, section: string, priceMinor: number): TicketSeat => ({
  id,
  section,
  row: "A",
  seat: Number(id.replace(/\D/g, "")),
  priceMinor,
  currency: "GBP",
});

describe("a ticket's live status", () => {
  it("is booked when the database says so, even if a stale hold remains", () => {
    const [merged] = mergeTicketStatus([ticket("t1", "A", 100)], new Set(["t1"]), new Set(["t1"]));
    expect(merged!.status).toBe("booked");
  });

  it("is reserved while held and not booked, available otherwise", () => {
    const merged = mergeTicketStatus([ticket("t1", "A", 100), ticket("t2", "A", 100)], new Set(), new Set(["t1"]));
    expect(merged.map((t) => t.status)).toEqual(["reserved", "available"]);
  });
});

describe("section summaries", () => {
  it("count each status per section and price", () => {
    const live = mergeTicketStatus(
      [ticket("t1", "A", 100), ticket("t2", "A", 100), ticket("t3", "A", 100), ticket("t4", "B", 50)],
      new Set(["t1"]),
      new Set(["t2"]),
    );
    expect(summarizeSections(live)).toEqual([
      { section: "A", priceMinor: 100, currency: "GBP", available: 1, reserved: 1, booked: 1 },
      { section: "B", priceMinor: 50, currency: "GBP", available: 1, reserved: 0, booked: 0 },
    ]);
  });

  it("keep booked tickets at the price paid apart from a later price of the same section", () => {
    const live = mergeTicketStatus([ticket("t1", "A", 100), ticket("t2", "A", 120)], new Set(["t1"]), new Set());
    expect(summarizeSections(live).map((s) => [s.priceMinor, s.booked, s.available])).toEqual([
      [100, 1, 0],
      [120, 0, 1],
    ]);
  });
});
