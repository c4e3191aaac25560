import { Counter, type Registry } from "prom-client";
import type { Cache } from "./cache.js";

const LOOKUPS = "boxoffice_cache_lookups_total";

function lookups(registry: Registry): Counter<"cache" | "result"> {
  // Catalog and search may share one registry (the embedded platform): one counter, two labels.
  const existing = registry.getSingleMetric(LOOKUPS);
  if (existing) return existing as Counter<"cache" | "result">;
  return new Counter({
    name: LOOKUPS,
    help: "Cache lookups by cache and result (hit, miss, error): the hit ratio says whether the hot reads stay off PostgreSQL and the engine.",
    labelNames: ["cache", "result"],
    registers: [registry],
  });
}

/** Counts every lookup of a cache, so the dashboard can show its hit ratio. */
export function observedCache(cache: Cache, name: string, registry: Registry): Cache {
  const counter = lookups(registry);
  return {
    async get<T>(key: string) {
      try {
        const value = await cache.get<T>(key);
        counter.inc({ cache: name, result: value === undefined ? "miss" : "hit" });
        return value;
      } catch (error) {
        counter.inc({ cache: name, result: "error" });
        throw error;
      }
    },
    set: (key, value, ttlMs) => cache.set(key, value, ttlMs),
    delete: (...keys) => cache.delete(...keys),
  };
}
