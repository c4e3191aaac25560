import { describe, expect, it } from "vitest";
import type { SearchBackend } from "../../domain/event-search.js";
import { normalizeSearch } from "../../domain/search-query.js";
import { createFallbackSearchBackend, type BreakerState } from "./fallback-search-backend.js";

const query = normalizeSearch({ term: "jazz", includePast: false }, new Date("2026-11-29T12:00:00Z"));
const answering = (backend: string): SearchBackend => ({ search: async () => ({ backend, degraded: false, hits: [] }) });

function flakyEngine() {
  const engine = { up: true, calls: 0 };
  const backend: SearchBackend = {
    async search() {
      engine.calls++;
      if (!engine.up) throw new Error("connect ECONNREFUSED");
      return { backend: "opensearch", degraded: false, hits: [] };
    },
  };
  return { engine, backend };
}

// A reset timeout no test waits for: these tests never depend on the clock.
const settings = { timeoutMs: 60_000, resetTimeoutMs: 3_600_000 };

describe("search with a fallback", () => {
  it("answers from the engine while it works", async () => {
    const search = createFallbackSearchBackend(answering("opensearch"), answering("postgres"), settings);
    expect(await search.search(query)).toEqual({ backend: "opensearch", degraded: false, hits: [] });
  });

  it("answers from PostgreSQL, marked degraded, when the engine fails", async () => {
    const { engine, backend } = flakyEngine();
    engine.up = false;
    const search = createFallbackSearchBackend(backend, answering("postgres"), settings);
    expect(await search.search(query)).toEqual({ backend: "postgres", degraded: true, hits: [] });
  });

  it("stops asking a failing engine once the breaker opens", async () => {
    const { engine, backend } = flakyEngine();
    const states: BreakerState[] = [];
    const search = createFallbackSearchBackend(backend, answering("postgres"), settings, (state) => states.push(state));
    engine.up = false;
    for (let i = 0; i < 10; i++) await search.search(query);
    expect(states).toEqual(["open"]);
    const callsWhenOpen = engine.calls;
    engine.up = true;
    for (let i = 0; i < 10; i++) expect((await search.search(query)).backend).toBe("postgres");
    expect(engine.calls).toBe(callsWhenOpen);
  });

  it("passes a failure of the fallback on: there is nothing left to answer with", async () => {
    const { engine, backend } = flakyEngine();
    engine.up = false;
    const broken: SearchBackend = { search: async () => Promise.reject(new Error("database down")) };
    await expect(createFallbackSearchBackend(backend, broken, settings).search(query)).rejects.toThrow("database down");
  });
});
