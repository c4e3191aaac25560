import { eventCacheKey } from "../../../catalog/domain/event-cache.js";
import type { Cache } from "../../../shared/cache/cache.js";
import type { EventViews } from "../../domain/refund-ports.js";

/**
 * The catalog's cached event views (the cache its admin updates invalidate): dropping an entry
 * makes GetEvent read the cancellation at once instead of when the entry's TTL runs out.
 */
export function catalogEventViews(cache: Cache): EventViews {
  return {
    async forget(eventId) {
      // The cancellation has committed; an unreachable cache serves the old view until its TTL.
      await cache.delete(eventCacheKey(eventId)).catch(() => undefined);
    },
  };
}
