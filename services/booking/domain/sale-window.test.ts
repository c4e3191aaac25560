import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import type { SaleEvent } from "./booking-types.js";
import { checkSaleOpen } from "./sale-window.js";

const event: SaleEvent = {
  id: "e1",
  name: "Late Laughs",
  status: "scheduled",
  onSaleAt: new Date("2026-12-17T10:00:00Z"),
  startsAt: new Date("2027-02-09T19:30:00Z"),
  timeZone: "Europe/London",
  purchaseLimit: 8,
  sectionNames: {},
};
const at = (iso: string) => new Date(iso);

/** The refusal for this event at this time, or "open". */
function verdict(subject: SaleEvent, now: Date): DomainError | "open" {
  try {
    checkSaleOpen(subject, now);
    return "open";
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe("sale window", () => {
  it("sells from the moment sales open until just before the event starts", () => {
    expect(verdict(event, event.onSaleAt!)).toBe("open");
    expect(verdict(event, at("2027-01-05T12:00:00Z"))).toBe("open");
    expect(verdict(event, new Date(event.startsAt.getTime() - 1))).toBe("open");
  });

  it("an event without an on-sale time sells until it starts", () => {
    expect(verdict({ ...event, onSaleAt: null }, at("2020-01-01T00:00:00Z"))).toBe("open");
  });

  it("before sales open: a precondition failure saying when they open, in the venue's time", () => {
    const refusal = verdict(event, new Date(event.onSaleAt!.getTime() - 1));
    expect(refusal).toMatchObject({
      kind: "conflict",
      message: "Tickets for Late Laughs go on sale on Thu, 17 Dec 2026 at 10:00 GMT; come back then.",
      details: { field: "event_id", reason: "not_on_sale_yet", eventId: "e1", onSaleAt: "2026-12-17T10:00:00.000Z" },
    });
    const inChicago = verdict({ ...event, timeZone: "America/Chicago" }, at("2026-12-01T00:00:00Z"));
    expect((inChicago as DomainError).message).toContain("on Thu, 17 Dec 2026 at 04:00 GMT-6");
  });

  it("from the start of the event on: nothing is sold any more", () => {
    for (const now of [event.startsAt, at("2027-02-10T00:00:00Z")]) {
      expect(verdict(event, now)).toMatchObject({
        kind: "conflict",
        message: "Late Laughs has already started; tickets are no longer sold.",
        details: { field: "event_id", reason: "sales_ended", startsAt: "2027-02-09T19:30:00.000Z" },
      });
    }
  });

  it("a cancelled event sells nothing, whenever asked", () => {
    for (const now of [at("2026-12-01T00:00:00Z"), at("2027-01-05T12:00:00Z"), at("2027-03-01T00:00:00Z")]) {
      expect(verdict({ ...event, status: "cancelled" }, now)).toMatchObject({
        kind: "conflict",
        message: "Late Laughs was cancelled; no tickets are sold for it.",
        details: { field: "event_id", reason: "event_cancelled" },
      });
    }
  });

  it("a venue time zone this runtime does not know still gives a time (in UTC)", () => {
    const refusal = verdict({ ...event, timeZone: "Mars/Olympus_Mons" }, at("2026-12-01T00:00:00Z"));
    expect((refusal as DomainError).message).toContain("on Thu, 17 Dec 2026 at 10:00 UTC");
  });
});
