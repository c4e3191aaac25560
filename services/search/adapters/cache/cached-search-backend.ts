import { createHash } from "node:crypto";
import type { Cache } from "../../../shared/cache/cache.js";
import { sharedWork } from "../../../shared/cancellation/shared-work.js";
import type { EventHit, SearchAnswer, SearchBackend } from "../../domain/event-search.js";
import type { SearchQuery } from "../../domain/search-query.js";

export interface SearchCacheSettings {
  ttlMs: number;
  /** Fallback answers are kept briefly, so results rank properly again soon after the engine is back. */
  degradedTtlMs: number;
}

type StoredAnswer = Omit<SearchAnswer, "hits"> & { hits: Array<Omit<EventHit, "startsAt"> & { startsAt: string }> };

/**
 * The normalized query decides the key, so "Taylor " and "taylor" share one entry. Listed field
 * by field: a field added to SearchQuery must be added here (and the version bumped).
 */
export function searchCacheKey(query: SearchQuery): string {
  const near = query.near ? [query.near.latitude, query.near.longitude, query.near.radiusKm] : null;
  const canonical = JSON.stringify([
    query.term,
    query.city ?? null,
    near,
    query.startsAfter?.toISOString() ?? null,
    query.startsBefore?.toISOString() ?? null,
    query.venueLocalDate ?? null,
    query.type ?? null,
    query.sort,
    query.pageSize,
    query.offset,
  ]);
  // v2: hits carry the venue's time zone, which v1 entries lack.
  return `search:v2:${createHash("sha256").update(canonical).digest("base64url")}`;
}

/**
 * Hot queries answered from the cache (Redis across replicas, or in process), with one backend
 * call per key at a time in this process: when a hot entry expires, the burst waits for one
 * answer instead of all asking the backend at once. That call stops only when every caller
 * waiting for it has left (shared-work.ts).
 */
export function createCachedSearchBackend(backend: SearchBackend, cache: Cache, settings: SearchCacheSettings): SearchBackend {
  const join = sharedWork<string, StoredAnswer>();

  const lookUp = async (query: SearchQuery, key: string, signal: AbortSignal): Promise<StoredAnswer> => {
    const hit = await cache.get<StoredAnswer>(key).catch(() => undefined);
    if (hit !== undefined) return hit;
    const answer = toStored(await backend.search(query, signal));
    await cache.set(key, answer, answer.degraded ? settings.degradedTtlMs : settings.ttlMs).catch(() => undefined);
    return answer;
  };

  return {
    async search(query, signal) {
      const key = searchCacheKey(query);
      return fromStored(await join(key, (stop) => lookUp(query, key, stop), signal));
    },
  };
}

const toStored = (answer: SearchAnswer): StoredAnswer => ({
  ...answer,
  hits: answer.hits.map((hit) => ({ ...hit, startsAt: hit.startsAt.toISOString() })),
});

const fromStored = (stored: StoredAnswer): SearchAnswer => ({
  ...stored,
  hits: stored.hits.map((hit) => ({ ...hit, startsAt: new Date(hit.startsAt) })),
});
