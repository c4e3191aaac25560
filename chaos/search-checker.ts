import type { EventDocument } from "../services/shared/search-index/event-document.js";
import type { FaultEvent, Operation } from "./history.js";

/**
 * The search invariants of a chaos run (pure, like chaos/checker.ts, which registers them):
 *   - search-answerable: every search a buyer sent while the engine was down was answered, from
 *     the PostgreSQL fallback; and a fallback answer lists the event searched for whenever
 *     PostgreSQL had it under that name (the fallback reads the source of truth);
 *   - index-caught-up: once recovery settled, the engine's index holds every event exactly as
 *     the database has it, and a search of the engine for each event's name finds it.
 */

/** What the run read from the database and the engine after the load stopped. */
export interface SearchEvidence {
  /** The search service's hot-query cache TTL: an answer can be this much older than its backend's state. */
  cacheTtlMs: number;
  /** Every event's search document as the database has it now (what the indexer should have written). */
  database: EventDocument[];
  /** Every document of the run's index, read through its alias after a refresh. */
  index: EventDocument[];
  /** How long after the load stopped the index was compared: the indexer had this long to catch up. */
  waitedMs: number;
  /** For each event of the database: a search of the engine (no cache, no fallback) for a word of its name. */
  findable: Array<{ eventId: string; term: string; found: boolean }>;
}

export interface SearchViolation {
  invariant: "search-answerable" | "index-caught-up";
  message: string;
  history: Operation[];
}

const CONTEXT_OPS = 12;
const ORGANISER_OPS = new Set(["create-event", "update-event"]);
/**
 * Beyond the cache TTL: an engine answer that was on its way when the proxy cut the engine off may
 * be stored a little later (the search service's event loop may lag on a loaded machine).
 */
const CACHE_SLACK_MS = 1_000;

/** The searches and catalogue changes nearest in time to `at` that concern the event or the term, oldest first. */
export function searchHistoryAround(history: Operation[], match: { at: number; eventId?: string; term?: string; anySearch?: boolean }): Operation[] {
  const related = history.filter(
    (op) =>
      (match.eventId !== undefined && (op.eventId === match.eventId || op.expect === match.eventId || op.found?.includes(match.eventId))) ||
      (match.term !== undefined && op.op === "search" && op.term === match.term) ||
      (match.anySearch === true && op.op === "search"),
  );
  return related
    .sort((a, b) => Math.abs(a.invokeAt - match.at) - Math.abs(b.invokeAt - match.at))
    .slice(0, CONTEXT_OPS)
    .sort((a, b) => a.invokeAt - b.invokeAt || a.id - b.id);
}

const iso = (at: number) => new Date(at).toISOString();

/**
 * Whether PostgreSQL certainly had the event under the searched word for the whole search: the
 * event was there before the run (the one on sale), or the organiser was told it created or
 * renamed it with that word longer than a cache entry lives before the search was sent, and sent
 * no change of it since that may have taken effect.
 */
function mustFind(search: Operation, organiserOps: Operation[], cacheTtlMs: number): boolean {
  const changes = organiserOps.filter((op) => op.eventId === search.expect && op.outcome !== "fail");
  if (changes.length === 0) return true;
  const word = search.term!.toLowerCase();
  const named = changes.filter((op) => op.outcome === "ok" && op.name!.toLowerCase().split(/\s+/).includes(word));
  const since = named[named.length - 1];
  if (!since || since.completeAt + cacheTtlMs >= search.invokeAt) return false;
  return !changes.some((op) => op.invokeAt > since.invokeAt && op.invokeAt <= search.completeAt);
}

export function searchAnswerable(history: Operation[], faults: FaultEvent[], evidence: Pick<SearchEvidence, "cacheTtlMs">): SearchViolation[] {
  const outages = faults.filter((fault) => fault.kind === "search-engine-down");
  const organiserOps = history.filter((op) => ORGANISER_OPS.has(op.op)).sort((a, b) => a.invokeAt - b.invokeAt);
  const violations: SearchViolation[] = [];
  for (const search of history) {
    if (search.op !== "search") continue;
    const outage = outages.find((fault) => search.invokeAt >= fault.startAt && search.invokeAt <= fault.endAt);
    const during = outage ? ` while the search engine was down (${iso(outage.startAt)} to ${iso(outage.endAt)})` : "";
    let message: string | undefined;
    if (outage && search.outcome !== "ok") {
      message = `search #${search.id} for "${search.term}" by ${search.user}${during} got no answer (${search.status}${search.error ? ` ${search.error}` : ""}): the PostgreSQL fallback should have answered`;
    } else if (outage && search.backend === "opensearch" && search.invokeAt > outage.startAt + evidence.cacheTtlMs + CACHE_SLACK_MS && search.completeAt < outage.endAt) {
      message = `search #${search.id} for "${search.term}"${during} was answered by the engine, past any cached answer and before the engine was reachable again: the outage did not cut the engine off`;
    } else if (search.outcome === "ok" && search.expect && !search.found?.includes(search.expect) && (search.backend === "postgres" || !organiserOps.some((op) => op.eventId === search.expect))) {
      if (mustFind(search, organiserOps, evidence.cacheTtlMs)) {
        message = `search #${search.id} for "${search.term}"${during}, answered by ${search.backend}, does not list event ${search.expect}, which had that name in PostgreSQL throughout`;
      }
    }
    if (message) violations.push({ invariant: "search-answerable", message, history: searchHistoryAround(history, { at: search.invokeAt, anySearch: true, ...(search.expect ? { eventId: search.expect } : {}) }) });
  }
  return violations;
}

const FIELDS: Array<keyof EventDocument> = [
  "name",
  "description",
  "type",
  "status",
  "starts_at",
  "venue_local_date",
  "venue_name",
  "venue_timezone",
  "city",
  "location",
  "performers",
  "lowest_price_minor",
  "currency",
  "tickets_available",
];

export function indexCaughtUp(history: Operation[], evidence: SearchEvidence): SearchViolation[] {
  const violations: SearchViolation[] = [];
  const end = Math.max(0, ...history.map((op) => op.completeAt));
  const indexed = new Map(evidence.index.map((doc) => [doc.id, doc]));
  const stored = new Set(evidence.database.map((doc) => doc.id));
  const after = `${(evidence.waitedMs / 1_000).toFixed(1)} s after the load stopped`;
  const around = (eventId: string) => searchHistoryAround(history, { at: end, eventId });
  for (const doc of evidence.database) {
    const inIndex = indexed.get(doc.id);
    let message: string | undefined;
    if (!inIndex) message = `event ${doc.id} ("${doc.name}") is not in the engine's index ${after}`;
    else {
      const stale = FIELDS.filter((field) => JSON.stringify(inIndex[field]) !== JSON.stringify(doc[field]));
      if (stale.length > 0) {
        message = `event ${doc.id}'s document in the engine's index is stale ${after}: ${stale.map((field) => `${field} ${JSON.stringify(inIndex[field])} (database ${JSON.stringify(doc[field])})`).join(", ")}`;
      }
    }
    if (message) violations.push({ invariant: "index-caught-up", message, history: around(doc.id) });
  }
  for (const doc of evidence.index) {
    if (!stored.has(doc.id)) violations.push({ invariant: "index-caught-up", message: `the engine's index still has event ${doc.id} ("${doc.name}"), which the database does not`, history: around(doc.id) });
  }
  for (const probe of evidence.findable) {
    if (!probe.found) violations.push({ invariant: "index-caught-up", message: `a search of the engine for "${probe.term}" does not find event ${probe.eventId} ${after}`, history: around(probe.eventId) });
  }
  return violations;
}
