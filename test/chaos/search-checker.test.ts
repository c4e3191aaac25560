import { describe, expect, it } from "vitest";
import { check, formatViolation, type CheckInput } from "../../chaos/checker.js";
import type { FaultEvent, Operation } from "../../chaos/history.js";
import type { SearchEvidence } from "../../chaos/search-checker.js";
import type { EventDocument } from "../../services/shared/search-index/event-document.js";

// Hand-made histories and indices, each broken in one way: a checker that cannot fail proves nothing.

let nextId = 1;
function op(fields: Partial<Operation> & Pick<Operation, "user" | "op" | "invokeAt">): Operation {
  return { id: nextId++, client: fields.user, completeAt: fields.invokeAt + 20, outcome: "ok", status: 200, ticketIds: [], ...fields };
}

const document = (id: string, name: string, extra: Partial<EventDocument> = {}): EventDocument => ({
  id,
  name,
  description: "",
  type: "concert",
  status: "scheduled",
  starts_at: "2027-01-01T20:00:00.000Z",
  venue_local_date: "2027-01-01",
  venue_name: "Chaos Arena",
  venue_timezone: "Europe/Lisbon",
  city: "Lisbon",
  location: { lat: 38.72, lon: -9.14 },
  performers: [],
  lowest_price_minor: 4_500,
  currency: "EUR",
  tickets_available: true,
  ...extra,
});

const outage: FaultEvent = { kind: "search-engine-down", target: "search engine", startAt: 10_000, endAt: 15_000 };

/**
 * A correct run: buyers found "Chaos Night" (e1) from the engine, then from the fallback while
 * the engine was down; the organiser announced e2 ("Bakori Trio Live") and renamed it, and a
 * buyer found it by its new word from the fallback; afterwards the index matched the database.
 */
function correctRun(): { history: Operation[]; faults: FaultEvent[]; search: SearchEvidence } {
  const history = [
    op({ user: "buyer-0", op: "search", invokeAt: 1_000, term: "Chaos Night", expect: "e1", backend: "opensearch", found: ["e1"] }),
    op({ user: "organiser", op: "create-event", invokeAt: 2_000, eventId: "e2", name: "Bakori Trio Live" }),
    op({ user: "buyer-1", op: "search", invokeAt: 5_000, term: "Bakori", expect: "e2", backend: "opensearch", found: ["e2"] }),
    // Sent just after the outage began: answered from an engine answer still in the cache.
    op({ user: "buyer-2", op: "search", invokeAt: 10_100, term: "Chaos Night", expect: "e1", backend: "opensearch", found: ["e1"] }),
    op({ user: "buyer-0", op: "search", invokeAt: 11_000, term: "Chaos Night", expect: "e1", backend: "postgres", found: ["e1"] }),
    op({ user: "organiser", op: "update-event", invokeAt: 11_500, eventId: "e2", name: "Tavemu Trio Live" }),
    op({ user: "buyer-1", op: "search", invokeAt: 14_000, term: "Tavemu", expect: "e2", backend: "postgres", found: ["e2"] }),
    // The old word, sent before the rename's answer: either answer is right.
    op({ user: "buyer-2", op: "search", invokeAt: 11_510, term: "Bakori", expect: "e2", backend: "postgres", found: [] }),
    op({ user: "buyer-0", op: "search", invokeAt: 20_000, term: "Chaos Night", expect: "e1", backend: "opensearch", found: ["e1"] }),
  ];
  const docs = [document("e1", "Chaos Night"), document("e2", "Tavemu Trio Live", { venue_name: "Chaos Club", city: "Porto" })];
  return {
    history,
    faults: [outage],
    search: {
      cacheTtlMs: 1_000,
      database: docs,
      index: docs.map((doc) => ({ ...doc })),
      waitedMs: 300,
      findable: docs.map((doc) => ({ eventId: doc.id, term: doc.name, found: true })),
    },
  };
}

const input = (run: ReturnType<typeof correctRun>): CheckInput => ({
  snapshot: { tickets: [], bookings: [], items: [], payments: [], provider: [] },
  history: run.history,
  faults: run.faults,
  lockNodes: 3,
  holdTtlMs: 20_000,
  search: run.search,
});
const broken = (result: ReturnType<typeof check>) => Object.entries(result).filter(([, violations]) => violations.length > 0).map(([name]) => name);
const searchOp = (run: ReturnType<typeof correctRun>, invokeAt: number) => run.history.find((o) => o.op === "search" && o.invokeAt === invokeAt)!;

describe("chaos checker: search", () => {
  it("passes a correct run", () => {
    expect(broken(check(input(correctRun())))).toEqual([]);
  });

  it("catches a search the engine's outage left unanswered, and prints the searches around it", () => {
    const run = correctRun();
    Object.assign(searchOp(run, 11_000), { outcome: "unknown", status: 503, error: "unavailable: search engine unreachable", backend: undefined, found: undefined });
    const result = check(input(run));
    expect(broken(result)).toEqual(["search-answerable"]);
    const [violation] = result["search-answerable"];
    expect(violation!.message).toMatch(/search #\d+ for "Chaos Night" by buyer-0 while the search engine was down .* got no answer \(503 unavailable/);
    const printed = formatViolation(violation!);
    expect(printed).toMatch(/✗ search-answerable/);
    expect(printed).toMatch(/buyer-0 search \[\] "Chaos Night" looking for e1 → unknown 503/);
    // The searches on either side, answered, show the outage was the fallback's to answer.
    expect(printed).toMatch(/buyer-2 search \[\] "Chaos Night" looking for e1 → ok 200 from opensearch/);
    expect(printed).toMatch(/buyer-1 search \[\] "Tavemu" .* → ok 200 from postgres found=\[e2\]/);
  });

  it("does not hold a search outside the outage to it: other faults may fail searches", () => {
    const run = correctRun();
    Object.assign(searchOp(run, 20_000), { outcome: "unknown", status: 0, error: "client timeout", backend: undefined, found: undefined });
    expect(broken(check(input(run)))).toEqual([]);
  });

  it("catches an engine answer in the middle of the outage: the fault did not take", () => {
    const run = correctRun();
    searchOp(run, 14_000).backend = "opensearch";
    const result = check(input(run));
    expect(broken(result)).toEqual(["search-answerable"]);
    expect(result["search-answerable"][0]!.message).toMatch(/answered by the engine, past any cached answer/);

    // Sent during the outage but answered after the engine was back (a slow request): no contradiction.
    const late = correctRun();
    late.history.push(op({ user: "buyer-3", op: "search", invokeAt: 14_900, completeAt: 15_600, term: "Chaos Night", expect: "e1", backend: "opensearch", found: ["e1"] }));
    expect(broken(check(input(late)))).toEqual([]);
  });

  it("catches a fallback answer that misses an event PostgreSQL had under that name", () => {
    const run = correctRun();
    searchOp(run, 14_000).found = [];
    const result = check(input(run));
    expect(broken(result)).toEqual(["search-answerable"]);
    expect(result["search-answerable"][0]!.message).toMatch(/"Tavemu" .* answered by postgres, does not list event e2/);
    expect(result["search-answerable"][0]!.history.map((o) => o.op)).toContain("update-event");
  });

  it("excuses a miss while the name may have just changed, or was too fresh for the cache", () => {
    const run = correctRun();
    // Renamed again while this search was in flight: either name may have been current.
    run.history.push(op({ user: "organiser", op: "update-event", invokeAt: 14_010, eventId: "e2", name: "Rimoze Trio Live", outcome: "unknown", status: 0 }));
    searchOp(run, 14_000).found = [];
    run.search.database[1]!.name = run.search.index[1]!.name = "Rimoze Trio Live";
    expect(broken(check(input(run)))).toEqual([]);

    const fresh = correctRun();
    const search = searchOp(fresh, 14_000);
    Object.assign(search, { invokeAt: 12_000, completeAt: 12_020, found: [] });
    // The rename was acknowledged at 11,520; a cached answer from before it may live until 12,520.
    expect(broken(check(input(fresh)))).toEqual([]);
  });

  it("catches the engine missing the event on sale, which never changes name", () => {
    const run = correctRun();
    searchOp(run, 20_000).found = [];
    expect(broken(check(input(run)))).toEqual(["search-answerable"]);
  });

  it("catches an index that did not catch up: a missing, a stale and a deleted document", () => {
    const missing = correctRun();
    missing.search.index = missing.search.index.filter((doc) => doc.id !== "e2");
    const result = check(input(missing));
    expect(broken(result)).toEqual(["index-caught-up"]);
    expect(result["index-caught-up"][0]!.message).toMatch(/event e2 \("Tavemu Trio Live"\) is not in the engine's index 0\.3 s after the load stopped/);
    // The organiser's changes of that event and the searches for it.
    expect(result["index-caught-up"][0]!.history.map((o) => o.op)).toEqual(["create-event", "search", "update-event", "search", "search"]);

    const stale = correctRun();
    stale.search.index[1]!.name = "Bakori Trio Live";
    stale.search.index[0]!.tickets_available = false;
    const staleResult = check(input(stale));
    expect(staleResult["index-caught-up"].map((v) => v.message)).toEqual([
      expect.stringMatching(/event e1's document .* stale .*tickets_available false \(database true\)/),
      expect.stringMatching(/event e2's document .* stale .*name "Bakori Trio Live" \(database "Tavemu Trio Live"\)/),
    ]);

    const deleted = correctRun();
    deleted.search.database = deleted.search.database.filter((doc) => doc.id !== "e2");
    deleted.search.findable = deleted.search.findable.filter((probe) => probe.eventId !== "e2");
    expect(check(input(deleted))["index-caught-up"].map((v) => v.message)).toEqual([expect.stringMatching(/index still has event e2/)]);
  });

  it("catches an event the engine's search does not find", () => {
    const run = correctRun();
    run.search.findable[1]!.found = false;
    const result = check(input(run));
    expect(broken(result)).toEqual(["index-caught-up"]);
    expect(result["index-caught-up"][0]!.message).toMatch(/a search of the engine for "Tavemu Trio Live" does not find event e2/);
  });

  it("checks nothing of search in a run without a search engine", () => {
    const run = correctRun();
    searchOp(run, 11_000).outcome = "unknown";
    const { search: _, ...withoutEngine } = input(run);
    expect(broken(check(withoutEngine))).toEqual([]);
  });
});
