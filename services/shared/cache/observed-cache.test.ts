import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { Cache } from "./cache.js";
import { cached } from "./cache.js";
import { InMemoryCache } from "./in-memory-cache.js";
import { observedCache } from "./observed-cache.js";

async function lookups(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric("boxoffice_cache_lookups_total")!.get();
  return Object.fromEntries(metric.values.map(({ labels, value }) => [`${labels.cache}/${labels.result}`, value]));
}

describe("a cache's lookups", () => {
  it("are counted as a miss, then hits, per cache, through the read-through helper", async () => {
    const registry = new Registry();
    const search = observedCache(new InMemoryCache(), "search", registry);
    const events = observedCache(new InMemoryCache(), "catalog_event", registry);
    const compute = async () => ({ answer: 42 });
    for (let i = 0; i < 3; i++) expect(await cached(search, "q", 60_000, compute)).toEqual({ answer: 42 });
    await cached(events, "e1", 60_000, compute);
    expect(await lookups(registry)).toEqual({ "search/miss": 1, "search/hit": 2, "catalog_event/miss": 1 });
  });

  it("count a failing store as an error, and the read still answers from its source", async () => {
    const registry = new Registry();
    const down: Cache = {
      get: () => Promise.reject(new Error("connection refused")),
      set: () => Promise.reject(new Error("connection refused")),
      delete: () => Promise.resolve(),
    };
    expect(await cached(observedCache(down, "search", registry), "q", 60_000, async () => "fresh")).toBe("fresh");
    expect(await lookups(registry)).toEqual({ "search/error": 1 });
  });
});
