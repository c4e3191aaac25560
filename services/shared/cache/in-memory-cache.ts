import { LRUCache } from "lru-cache";
import type { Cache } from "./cache.js";

/** The embedded default: a bounded LRU with per-entry TTL, in this process only. */
export class InMemoryCache implements Cache {
  private readonly entries: LRUCache<string, string>;

  constructor(maxEntries = 5_000, maxBytes = 64 * 1024 * 1024) {
    this.entries = new LRUCache({ max: maxEntries, maxSize: maxBytes, sizeCalculation: (value) => value.length || 1 });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = this.entries.get(key);
    // Parse a copy each time so callers can never mutate what is cached.
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.entries.set(key, JSON.stringify(value), { ttl: ttlMs });
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }
}
