import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import type { SectionDraft, VenueDraft } from "./catalog-types.js";
import { isTimeZone, validateVenue } from "./venue-rules.js";

const seated = (code: string, rows: Array<[string, number]>): SectionDraft => ({
  code,
  name: `Section ${code}`,
  rows: rows.map(([label, seats]) => ({ label, seats })),
  generalAdmissionCapacity: 0,
});
const standing = (code: string, capacity: number): SectionDraft => ({ code, name: code, rows: [], generalAdmissionCapacity: capacity });

const venue = (sections: SectionDraft[], overrides: Partial<VenueDraft> = {}): VenueDraft => ({
  name: "Riverside Hall",
  address: "1 Quay Street",
  city: "Bristol",
  country: "GB",
  latitude: 51.45,
  longitude: -2.59,
  timezone: "Europe/London",
  seatMap: { sections },
  ...overrides,
});

function violationsOf(draft: VenueDraft): Array<{ field: string; message: string }> {
  try {
    validateVenue(draft);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe("invalid");
    return (error as DomainError).details.violations as Array<{ field: string; message: string }>;
  }
  throw new Error("the venue was accepted");
}

describe("venue rules", () => {
  it("accept seated sections and general-admission areas and derive the capacity from them", () => {
    const valid = validateVenue(venue([seated("A", [["1", 10], ["2", 12]]), standing("FLOOR", 300)]));
    expect(valid.capacity).toBe(322);
    expect(valid.seatMap.sections.map((s) => s.kind)).toEqual(["seated", "general_admission"]);
  });

  it("refuse two sections with the same code, whatever the case", () => {
    expect(violationsOf(venue([seated("A", [["1", 10]]), standing("a", 50)]))).toEqual([
      { field: "venue.seat_map.sections[1].code", message: 'section code "a" is used twice' },
    ]);
  });

  it("refuse a section with neither rows nor a capacity, and one with both", () => {
    const both = { ...seated("B", [["1", 5]]), generalAdmissionCapacity: 20 };
    const fields = violationsOf(venue([standing("A", 0), both])).map((v) => v.field);
    expect(fields).toEqual(["venue.seat_map.sections[0]", "venue.seat_map.sections[1]"]);
  });

  it("refuse a seat map without sections, a row without seats and a repeated row label", () => {
    expect(violationsOf(venue([])).map((v) => v.field)).toEqual(["venue.seat_map.sections"]);
    expect(violationsOf(venue([seated("A", [["1", 0]])])).map((v) => v.field)).toEqual(["venue.seat_map.sections[0].rows[0].seats"]);
    expect(violationsOf(venue([seated("A", [["1", 5], ["1", 6]])])).map((v) => v.field)).toEqual([
      "venue.seat_map.sections[0].rows[1].label",
    ]);
  });

  it("refuse a layout too large to generate in one transaction", () => {
    const huge = Array.from({ length: 201 }, (_, i) => standing(`S${i}`, 1_000));
    expect(violationsOf(venue(huge))[0]!.message).toMatch(/201000 places; at most 200000/);
  });

  it("take IANA zone names, never a UTC offset, which PostgreSQL would read with its sign inverted", () => {
    expect(isTimeZone("America/Chicago")).toBe(true);
    expect(isTimeZone("Etc/GMT+12")).toBe(true);
    expect(isTimeZone("+05:00")).toBe(false);
    expect(isTimeZone("-0800")).toBe(false);
  });

  it("report every broken rule at once, naming the first in the message", () => {
    try {
      validateVenue(venue([standing("A", 10)], { name: " ", timezone: "Mars/Olympus", country: "gb" }));
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).message).toBe("venue.name: a venue needs a name (and 2 more)");
      expect((error as DomainError).details.field).toBe("venue.name");
    }
  });
});
