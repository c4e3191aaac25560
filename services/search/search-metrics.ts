import { Counter, Gauge, type Registry } from "prom-client";
import type { SearchBackend } from "./domain/event-search.js";
import type { BreakerState } from "./adapters/fallback/fallback-search-backend.js";

/** Which engine answers (a rising postgres share means the engine is down) and the breaker's state. */
export function searchMetrics(registry: Registry) {
  const answers = new Counter({
    name: "boxoffice_search_answers_total",
    help: "Searches answered, by the engine that answered and whether it was a fallback.",
    labelNames: ["backend", "degraded"],
    registers: [registry],
  });
  const breakerOpen = new Gauge({
    name: "boxoffice_search_engine_breaker_open",
    help: "1 while the circuit breaker keeps searches off the search engine.",
    registers: [registry],
  });
  return {
    observe(backend: SearchBackend): SearchBackend {
      return {
        async search(query, signal) {
          const answer = await backend.search(query, signal);
          answers.inc({ backend: answer.backend, degraded: String(answer.degraded) });
          return answer;
        },
      };
    },
    breakerChanged(state: BreakerState) {
      breakerOpen.set(state === "open" ? 1 : 0);
    },
  };
}
