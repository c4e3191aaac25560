import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import type { EventDraft, Venue } from "./catalog-types.js";
import { validateEvent, type EventRuleContext } from "./event-rules.js";

const NOW = new Date("2030-01-01T12:00:00Z");
const HOUR = 3_600_000;

const venue: Venue = {
  id: "v1",
  name: "Riverside Hall",
  address: "",
  city: "Bristol",
  country: "GB",
  latitude: 51.45,
  longitude: -2.59,
  timezone: "Europe/London",
  capacity: 60,
  seatMap: {
    sections: [
      { code: "STALLS", name: "Stalls", kind: "seated", rows: [{ label: "A", seats: 10 }] },
      { code: "FLOOR", name: "Floor", kind: "general_admission", capacity: 50 },
    ],
  },
};

const draft = (overrides: Partial<EventDraft> = {}): EventDraft => ({
  name: "Night Bloom",
  description: "",
  type: "concert",
  venueId: "v1",
  startsAt: new Date(NOW.getTime() + 48 * HOUR),
  endsAt: new Date(NOW.getTime() + 51 * HOUR),
  onSaleAt: NOW,
  highDemand: false,
  performerIds: ["p1"],
  priceTiers: [
    { section: "STALLS", priceMinor: 5_000, currency: "GBP" },
    { section: "FLOOR", priceMinor: 3_500, currency: "GBP" },
  ],
  ...overrides,
});

const context = (overrides: Partial<EventRuleContext> = {}): EventRuleContext => ({
  venue,
  knownPerformerIds: new Set(["p1"]),
  now: NOW,
  creating: true,
  ...overrides,
});

function violationsOf(input: EventDraft, ctx = context()): Array<{ field: string; message: string }> {
  try {
    validateEvent(input, ctx);
  } catch (error) {
    expect((error as DomainError).kind).toBe("invalid");
    return (error as DomainError).details.violations as Array<{ field: string; message: string }>;
  }
  throw new Error("the event was accepted");
}

describe("event rules", () => {
  it("accept a priced event and take its currency from the price tiers", () => {
    const plan = validateEvent(draft(), context());
    expect(plan.fields.currency).toBe("GBP");
    expect([...plan.priceBySection]).toEqual([
      ["STALLS", 5_000],
      ["FLOOR", 3_500],
    ]);
  });

  it("refuse an end before the start", () => {
    expect(violationsOf(draft({ endsAt: new Date(NOW.getTime() + 47 * HOUR) }))).toEqual([
      { field: "event.ends_at", message: "ends_at must be after starts_at" },
    ]);
  });

  it("refuse to create an event that is already over, but let one be corrected afterwards", () => {
    const past = draft({ startsAt: new Date(NOW.getTime() - 5 * HOUR), endsAt: new Date(NOW.getTime() - 2 * HOUR), onSaleAt: null });
    expect(violationsOf(past).map((v) => v.field)).toEqual(["event.ends_at"]);
    expect(() => validateEvent(past, context({ creating: false }))).not.toThrow();
  });

  it("refuse a sale that opens after the event starts", () => {
    expect(violationsOf(draft({ onSaleAt: new Date(NOW.getTime() + 49 * HOUR) })).map((v) => v.field)).toEqual(["event.on_sale_at"]);
  });

  it("refuse a price tier for a section the venue does not have", () => {
    const tiers = [...draft().priceTiers, { section: "BALCONY", priceMinor: 100, currency: "GBP" }];
    expect(violationsOf(draft({ priceTiers: tiers }))).toEqual([
      { field: "event.price_tiers[2].section", message: 'venue "Riverside Hall" has no section "BALCONY"' },
    ]);
  });

  it("refuse a section left unpriced, or priced twice", () => {
    expect(violationsOf(draft({ priceTiers: [{ section: "STALLS", priceMinor: 5_000, currency: "GBP" }] }))).toEqual([
      { field: "event.price_tiers", message: "every section needs a price; missing: FLOOR" },
    ]);
    const twice = [...draft().priceTiers, { section: "FLOOR", priceMinor: 1, currency: "GBP" }];
    expect(violationsOf(draft({ priceTiers: twice })).map((v) => v.field)).toEqual(["event.price_tiers[2].section"]);
  });

  it("refuse tiers in different currencies, an unknown currency and a price beyond 32 bits", () => {
    const mixed = [
      { section: "STALLS", priceMinor: 5_000, currency: "GBP" },
      { section: "FLOOR", priceMinor: 3_500, currency: "EUR" },
    ];
    expect(violationsOf(draft({ priceTiers: mixed })).map((v) => v.field)).toEqual(["event.price_tiers"]);
    const unknown = draft().priceTiers.map((tier) => ({ ...tier, currency: "XYZ" }));
    expect(violationsOf(draft({ priceTiers: unknown })).map((v) => v.field)).toEqual(["event.price_tiers[0].price.currency"]);
    const huge = [{ section: "STALLS", priceMinor: 2 ** 31, currency: "GBP" }, draft().priceTiers[1]!];
    expect(violationsOf(draft({ priceTiers: huge })).map((v) => v.field)).toEqual(["event.price_tiers[0].price.amount_minor"]);
  });

  it("refuse an unknown venue and unknown performers", () => {
    expect(violationsOf(draft({ venueId: "nowhere" }), context({ venue: undefined }))).toEqual([
      { field: "event.venue_id", message: "no venue nowhere" },
    ]);
    expect(violationsOf(draft({ performerIds: ["p1", "p9"] }))).toEqual([{ field: "event.performer_ids", message: "no performer p9" }]);
  });
});
