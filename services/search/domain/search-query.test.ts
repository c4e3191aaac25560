import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import { offsetCursor, offsetOfCursor, normalizeSearch, type SearchRequest } from "./search-query.js";

const now = new Date("2026-11-29T12:00:00Z");
const request = (overrides: Partial<SearchRequest> = {}): SearchRequest => ({ term: "", includePast: false, ...overrides });

describe("normalizing a search", () => {
  it("sorts by relevance with a term and by date without one", () => {
    expect(normalizeSearch(request({ term: " taylor  swift " }), now)).toMatchObject({ term: "taylor swift", sort: "relevance" });
    expect(normalizeSearch(request(), now).sort).toBe("date");
  });

  it("orders by date when asked for relevance without a term, as one query with the date sort", () => {
    const relevance = normalizeSearch(request({ sort: "relevance", city: "London" }), now);
    expect(relevance.sort).toBe("date");
    expect(relevance).toEqual(normalizeSearch(request({ sort: "date", city: "London" }), now));
  });

  it("keeps relevance or date as asked when there is a term", () => {
    expect(normalizeSearch(request({ term: "jazz", sort: "date" }), now).sort).toBe("date");
    expect(normalizeSearch(request({ term: "jazz", sort: "relevance" }), now).sort).toBe("relevance");
  });

  it("leaves out past events unless asked", () => {
    expect(normalizeSearch(request(), now).startsAfter).toEqual(now);
    expect(normalizeSearch(request({ includePast: true }), now).startsAfter).toBeUndefined();
  });

  it("keeps a single day as the venues' local day, within every instant that is that day on some clock", () => {
    const query = normalizeSearch(request({ date: "2026-12-24", includePast: true }), now);
    expect(query.venueLocalDate).toBe("2026-12-24");
    // Midnight at UTC+14 (Kiritimati) to midnight at UTC-12 (Baker Island).
    expect(query.startsAfter).toEqual(new Date("2026-12-23T10:00:00Z"));
    expect(query.startsBefore).toEqual(new Date("2026-12-25T12:00:00Z"));
  });

  it("intersects the day with a range given beside it", () => {
    const query = normalizeSearch(request({ date: "2026-12-24", startsAfter: new Date("2026-12-24T18:00:00Z"), includePast: true }), now);
    expect(query).toMatchObject({ venueLocalDate: "2026-12-24", startsAfter: new Date("2026-12-24T18:00:00Z"), startsBefore: new Date("2026-12-25T12:00:00Z") });
  });

  it("still finds what is left of a day that is over in UTC but not yet in the Americas", () => {
    const lateEvening = new Date("2026-12-25T03:00:00Z");
    expect(normalizeSearch(request({ date: "2026-12-24" }), lateEvening)).toMatchObject({ venueLocalDate: "2026-12-24", startsAfter: lateEvening });
  });

  it("refuses an empty range, naming the field", () => {
    const attempt = () =>
      normalizeSearch(request({ startsAfter: new Date("2027-01-02"), startsBefore: new Date("2027-01-01") }), now);
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(/starts_after/);
  });

  it("refuses a day that is not in the calendar, naming the field", () => {
    expect(() => normalizeSearch(request({ date: "2027-02-30", includePast: true }), now)).toThrow(/date 2027-02-30 is not a calendar day/);
  });

  it("refuses a past day when past events are excluded", () => {
    expect(() => normalizeSearch(request({ date: "2026-01-01" }), now)).toThrow(/empty/);
  });

  it("refuses distance sorting without a point, naming the field", () => {
    const attempt = () => normalizeSearch(request({ sort: "distance" }), now);
    expect(attempt).toThrow(/near/);
    expect(attempt).toThrow(expect.objectContaining({ kind: "invalid", details: { field: "sort" } }));
  });
});

describe("page cursors", () => {
  it("round-trip the offset", () => {
    expect(offsetOfCursor(offsetCursor(40))).toBe(40);
  });

  it("refuse an offset past the deepest page", () => {
    expect(() => offsetOfCursor("garbage")).toThrow(/page_token/);
    expect(() => offsetOfCursor(offsetCursor(50_000))).toThrow(/page_token/);
  });
});

describe("normalizing for caches", () => {
  it("gives the same query for the same search typed differently", () => {
    const a = normalizeSearch(request({ term: "Taylor  QUINN", city: " London " }), now);
    const b = normalizeSearch(request({ term: "taylor quinn", city: "london" }), new Date(now.getTime() + 30_000));
    expect(a).toEqual(b);
  });

  it("folds a city's accents and case, as both backends compare cities", () => {
    expect(normalizeSearch(request({ city: " Montréal " }), now).city).toBe("montreal");
    expect(normalizeSearch(request({ city: "MONTREAL" }), now).city).toBe("montreal");
    expect(normalizeSearch(request({ city: "Zürich" }), now).city).toBe("zurich");
  });

  it("cuts off past events at the minute, so a query stays one query for a minute", () => {
    const query = normalizeSearch(request(), new Date("2026-11-29T12:00:42.123Z"));
    expect(query.startsAfter).toEqual(new Date("2026-11-29T12:00:00Z"));
  });
});
