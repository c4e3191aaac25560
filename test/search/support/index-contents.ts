import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import type { EventDocument } from "../../../services/shared/search-index/event-document.js";
import { allEventIds, loadEventDocuments } from "../../../services/indexer/event-documents.js";

/** What the index should hold: every event's document as the database has it now. */
export async function databaseDocuments(db: Knex): Promise<Map<string, EventDocument>> {
  const documents = new Map<string, EventDocument>();
  for await (const ids of allEventIds(db)) {
    for (const document of await loadEventDocuments(db, ids)) documents.set(document.id, document);
  }
  return documents;
}

/** What the index holds, read through the alias after a refresh, page by page in id order. */
export async function indexDocuments(client: Client, alias: string): Promise<Map<string, EventDocument>> {
  await client.indices.refresh({ index: alias });
  const documents = new Map<string, EventDocument>();
  let after: unknown[] | undefined;
  for (;;) {
    const { body } = await client.search({
      index: alias,
      body: { size: 5_000, sort: [{ id: "asc" }], query: { match_all: {} }, ...(after ? { search_after: after } : {}) } as never,
    });
    for (const hit of body.hits.hits) documents.set(hit._id!, hit._source as unknown as EventDocument);
    if (body.hits.hits.length < 5_000) return documents;
    after = body.hits.hits[body.hits.hits.length - 1]!.sort as unknown[];
  }
}
