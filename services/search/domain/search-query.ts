import { invalid } from "../../shared/errors/domain-error.js";
import { calendarDay, spanOfDayOnAnyClock } from "./venue-local-day.js";

export type EventTypeName = "concert" | "sports" | "theater" | "comedy" | "festival" | "family" | "conference";
export type SearchSort = "relevance" | "date" | "distance";

/** What a caller asked for, before defaults are applied. */
export interface SearchRequest {
  term: string;
  city?: string | undefined;
  near?: { latitude: number; longitude: number; radiusKm: number } | undefined;
  /** A single day, YYYY-MM-DD, on each venue's own clock. */
  date?: string | undefined;
  startsAfter?: Date | undefined;
  startsBefore?: Date | undefined;
  type?: EventTypeName | undefined;
  sort?: SearchSort | undefined;
  pageSize?: number | undefined;
  pageToken?: string | undefined;
  includePast: boolean;
}

/** A search every backend can run as it is: defaults applied, ranges resolved. */
export interface SearchQuery {
  term: string;
  city?: string;
  near?: { latitude: number; longitude: number; radiusKm: number };
  startsAfter?: Date;
  startsBefore?: Date;
  /**
   * The day (YYYY-MM-DD) an event must start on by its venue's clock. The start range above
   * already holds every instant of that day on any clock, so a backend narrows by index first.
   */
  venueLocalDate?: string;
  type?: EventTypeName;
  sort: SearchSort;
  pageSize: number;
  offset: number;
}

export const DEFAULT_PAGE_SIZE = 20;
/** Deep paging costs every backend; past this, narrow the search instead. */
export const MAX_OFFSET = 10_000;

/** `offset` is where the page starts: the cursor of the request's (already opened) page token. */
export function normalizeSearch(request: SearchRequest, now: Date, offset = 0): SearchQuery {
  // Every backend matches case-insensitively; one spelling of a query keeps one cache entry.
  const term = request.term.trim().replace(/\s+/g, " ").toLowerCase();
  // Without a term every event is equally relevant, and ties go by date: asked for relevance then,
  // a search is the date-ordered list (one cache entry), not an error a cleared search box would hit.
  const sort = request.sort === "relevance" && !term ? "date" : request.sort ?? (term ? "relevance" : "date");
  if (sort === "distance" && !request.near) {
    throw invalid("sort by distance needs a point: give near.point and near.radius_km", { field: "sort" });
  }

  let after = request.startsAfter;
  let before = request.startsBefore;
  if (request.date) {
    const midnight = calendarDay(request.date);
    if (!midnight) throw invalid(`date ${request.date} is not a calendar day`, { field: "date" });
    const span = spanOfDayOnAnyClock(midnight);
    after = later(after, span.startsAfter);
    before = earlier(before, span.startsBefore);
  }
  // To the minute: an event that began seconds ago is still worth finding, and the same query
  // within a minute stays the same query for caches.
  if (!request.includePast) after = later(after, startOfMinute(now));
  if (after && before && after >= before) {
    throw invalid("the date range is empty: starts_after must be before starts_before (and date)", { field: "starts_after" });
  }

  const query: SearchQuery = {
    term,
    sort,
    pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
    offset,
  };
  if (request.city) query.city = foldCity(request.city);
  if (request.near) query.near = request.near;
  if (after) query.startsAfter = after;
  if (before) query.startsBefore = before;
  if (request.date) query.venueLocalDate = request.date;
  if (request.type) query.type = request.type;
  return query;
}

/**
 * "Montréal", "MONTREAL" and " montreal " are one city to every backend (the engine's normalizer
 * and PostgreSQL's unaccent fold accents and case), so they are one query and one cache entry.
 */
const foldCity = (city: string) => city.trim().normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

const startOfMinute = (instant: Date) => new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
const later = (a: Date | undefined, b: Date) => (a && a > b ? a : b);
const earlier = (a: Date | undefined, b: Date) => (a && a < b ? a : b);

/** A search page's cursor (sealed into an opaque page token): the offset of its first hit. */
export const offsetCursor = (offset: number) => `o:${offset}`;

export function offsetOfCursor(cursor: string): number {
  const match = /^o:(\d{1,6})$/.exec(cursor);
  const offset = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(offset) || offset > MAX_OFFSET) {
    throw invalid("page_token is not one this service issued; start again without it", { field: "page_token" });
  }
  return offset;
}
