import { describe, expect, it } from "vitest";
import type { Cache } from "../../../shared/cache/cache.js";
import { InMemoryCache } from "../../../shared/cache/in-memory-cache.js";
import type { SearchAnswer, SearchBackend } from "../../domain/event-search.js";
import { normalizeSearch, type SearchQuery } from "../../domain/search-query.js";
import { createCachedSearchBackend, searchCacheKey } from "./cached-search-backend.js";

const now = new Date("2026-11-29T12:00:00Z");
const query = (term: string, extra = {}): SearchQuery => normalizeSearch({ term, includePast: false, ...extra }, now);
const settings = { ttlMs: 30_000, degradedTtlMs: 5_000 };

function countingBackend(answer: Partial<SearchAnswer> = {}) {
  const calls: SearchQuery[] = [];
  const backend: SearchBackend = {
    async search(q) {
      calls.push(q);
      await new Promise((resolve) => setImmediate(resolve));
      return {
        backend: "opensearch",
        degraded: false,
        hits: [
          {
            id: "e1", name: "Taylor Quinn", type: "concert", startsAt: new Date("2027-01-01T19:00:00Z"), venueName: "Arena", venueTimeZone: "Europe/London", city: "London",
            latitude: 51.5, longitude: -0.1, performers: ["Taylor Quinn"], lowestPriceMinor: 4500, currency: "GBP", ticketsAvailable: true,
          },
        ],
        ...answer,
      };
    },
  };
  return { backend, calls };
}

describe("the hot-query cache", () => {
  it("answers a repeated query, however it was typed, without asking the backend again", async () => {
    const { backend, calls } = countingBackend();
    const cached = createCachedSearchBackend(backend, new InMemoryCache(), settings);
    const first = await cached.search(query("Taylor Quinn"));
    const second = await cached.search(query("  taylor   quinn "));
    expect(calls).toHaveLength(1);
    expect(second).toEqual(first);
    expect(second.hits[0]!.startsAt).toEqual(new Date("2027-01-01T19:00:00Z"));
  });

  it("keys every part of the query: another page, city or point is another entry", () => {
    const keys = new Set([
      searchCacheKey(query("taylor")),
      searchCacheKey(query("taylor", { pageSize: 5 })),
      searchCacheKey(query("taylor", { city: "Paris" })),
      searchCacheKey(query("taylor", { near: { latitude: 1, longitude: 2, radiusKm: 3 } })),
      searchCacheKey(query("taylor", { near: { latitude: 1, longitude: 2, radiusKm: 4 } })),
      searchCacheKey(query("taylor", { type: "comedy" })),
    ]);
    expect(keys.size).toBe(6);
  });

  it("keys the venue-local day, not only the instants around it", () => {
    const { venueLocalDate, ...sameInstants } = query("", { date: "2026-12-05" });
    expect(venueLocalDate).toBe("2026-12-05");
    expect(searchCacheKey(sameInstants)).not.toBe(searchCacheKey(query("", { date: "2026-12-05" })));
  });

  it("asks the backend once for a burst of identical misses", async () => {
    const { backend, calls } = countingBackend();
    const cached = createCachedSearchBackend(backend, new InMemoryCache(), settings);
    await Promise.all(Array.from({ length: 20 }, () => cached.search(query("jazz"))));
    expect(calls).toHaveLength(1);
  });

  it("keeps a fallback's answer for a shorter time than the engine's", async () => {
    const ttls: number[] = [];
    const recording: Cache = { get: async () => undefined, set: async (_key, _value, ttlMs) => void ttls.push(ttlMs), delete: async () => undefined };
    await createCachedSearchBackend(countingBackend().backend, recording, settings).search(query("a"));
    await createCachedSearchBackend(countingBackend({ backend: "postgres", degraded: true }).backend, recording, settings).search(query("a"));
    expect(ttls).toEqual([30_000, 5_000]);
  });

  it("still answers when the cache itself fails", async () => {
    const broken: Cache = {
      get: async () => Promise.reject(new Error("redis down")),
      set: async () => Promise.reject(new Error("redis down")),
      delete: async () => undefined,
    };
    const { backend, calls } = countingBackend();
    const answer = await createCachedSearchBackend(backend, broken, settings).search(query("jazz"));
    expect(answer.hits).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });
});
