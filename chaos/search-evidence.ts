import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import { allEventIds, loadEventDocuments } from "../services/indexer/event-documents.js";
import { createOpenSearchEventSearch } from "../services/search/adapters/opensearch/opensearch-event-search.js";
import { normalizeSearch } from "../services/search/domain/search-query.js";
import type { EventDocument } from "../services/shared/search-index/event-document.js";
import type { SearchEvidence } from "./search-checker.js";

/** Every event's document as the database has it now: what the indexer should have written. */
export async function databaseDocuments(db: Knex): Promise<EventDocument[]> {
  const documents: EventDocument[] = [];
  for await (const ids of allEventIds(db)) documents.push(...(await loadEventDocuments(db, ids)));
  return documents;
}

/** Every document behind the alias, after a refresh, page by page in id order. */
export async function indexDocuments(client: Client, alias: string): Promise<EventDocument[]> {
  await client.indices.refresh({ index: alias });
  const documents: EventDocument[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const { body } = await client.search({ index: alias, body: { size: 1_000, sort: [{ id: "asc" }], query: { match_all: {} }, ...(after ? { search_after: after } : {}) } as never });
    for (const hit of body.hits.hits) documents.push(hit._source as unknown as EventDocument);
    if (body.hits.hits.length < 1_000) return documents;
    after = body.hits.hits[body.hits.hits.length - 1]!.sort as unknown[];
  }
}

const same = (a: EventDocument[], b: EventDocument[]) => {
  const key = (docs: EventDocument[]) => JSON.stringify([...docs].sort((x, y) => x.id.localeCompare(y.id)).map((doc) => Object.entries(doc).sort(([k1], [k2]) => k1.localeCompare(k2))));
  return key(a) === key(b);
};

/**
 * What the search invariants judge, read once the load has stopped: the database's documents
 * and the index's, compared again every half second until they agree or `timeoutMs` has passed
 * (the indexer may still be retrying a batch the outage failed, with backoff up to 10 s), then
 * a search of the engine itself (no cache, no breaker, no fallback) for each event by its name.
 */
export async function readSearchEvidence(db: Knex, client: Client, alias: string, cacheTtlMs: number, timeoutMs: number): Promise<SearchEvidence> {
  const started = Date.now();
  let database: EventDocument[] = [];
  let index: EventDocument[] = [];
  for (;;) {
    // A connection the pool opened before a PostgreSQL restart fails once, and the engine may still refuse for a moment: ask again.
    const read = await Promise.all([databaseDocuments(db), indexDocuments(client, alias)]).catch(() => undefined);
    if (read) [database, index] = read;
    if ((read && same(database, index)) || Date.now() - started > timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const waitedMs = Date.now() - started;
  const engine = createOpenSearchEventSearch(client, alias);
  const findable = await Promise.all(
    database.map(async (doc) => {
      const answer = await engine.search(normalizeSearch({ term: doc.name, pageSize: 100, includePast: false }, new Date())).catch(() => ({ hits: [] }));
      return { eventId: doc.id, term: doc.name, found: answer.hits.some((hit) => hit.id === doc.id) };
    }),
  );
  return { cacheTtlMs, database, index, waitedMs, findable };
}
