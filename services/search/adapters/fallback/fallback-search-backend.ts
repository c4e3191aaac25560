import CircuitBreaker from "opossum";
import type { SearchAnswer, SearchBackend } from "../../domain/event-search.js";
import type { SearchQuery } from "../../domain/search-query.js";

export interface FallbackSettings {
  /** A search engine answer slower than this counts as a failure and PostgreSQL answers instead. */
  timeoutMs: number;
  /** How long the breaker stays open before one call probes the engine again. */
  resetTimeoutMs: number;
}

export type BreakerState = "closed" | "open" | "half_open";

/**
 * The search engine first; PostgreSQL when it fails, is slow, or has failed often enough that
 * the breaker stopped asking it. Search stays available through an engine outage, with the
 * fallback's coarser ranking, and the engine is not hammered while it recovers.
 */
export function createFallbackSearchBackend(
  primary: SearchBackend,
  fallback: SearchBackend,
  settings: FallbackSettings,
  onStateChange?: (state: BreakerState) => void,
): SearchBackend {
  const breaker = new CircuitBreaker((query: SearchQuery) => primary.search(query), {
    timeout: settings.timeoutMs,
    resetTimeout: settings.resetTimeoutMs,
    errorThresholdPercentage: 50,
    rollingCountTimeout: 10_000,
    volumeThreshold: 3,
  });
  breaker.on("open", () => onStateChange?.("open"));
  breaker.on("halfOpen", () => onStateChange?.("half_open"));
  breaker.on("close", () => onStateChange?.("closed"));

  return {
    async search(query, signal): Promise<SearchAnswer> {
      try {
        // The engine's call is bounded by the breaker's timeout; PostgreSQL's follows the caller.
        return await breaker.fire(query);
      } catch {
        const answer = await fallback.search(query, signal);
        return { ...answer, degraded: true };
      }
    },
  };
}
