import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenSearchEventSearch } from "../../services/search/adapters/opensearch/opensearch-event-search.js";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "../../services/shared/paging/page-tokens.js";
import { createEventSearch } from "../../services/search/domain/event-search.js";
import { TABLES } from "../../services/shared/db/tables.js";
import { indicesBehind } from "../../services/indexer/index/index-aliases.js";
import { eventually, spawnEntryPoint } from "../support/spawned-service.js";
import { databaseDocuments, indexDocuments } from "./support/index-contents.js";
import { indexerSuitesReady, startIndexedCatalogue, type IndexedCatalogue } from "./support/indexed-catalogue.js";
import { EVENTS, fixtureEventId } from "./support/search-fixture.js";

const BULK_EVENTS = 5_000;

/** Plain events in bulk (no tickets), so a rebuild takes long enough to write during it. */
async function addBulkEvents(db: Knex, count: number): Promise<void> {
  const [venue] = await db(TABLES.venues).where({ name: "Palais Lumiere" }).pluck("id");
  await db.raw(
    `INSERT INTO events (name, type, venue_id, starts_at, ends_at, currency)
     SELECT 'Bulk recital ' || n, 'concert', ?, now() + (n % 300 + 1) * interval '1 day', now() + (n % 300 + 1) * interval '1 day' + interval '2 hours', 'EUR'
     FROM generate_series(1, ?) AS n`,
    [venue, count],
  );
}

/** Writes an index has taken so far, refreshed or not (a rebuild loads with refreshes off). */
async function documentsWrittenInto(client: Client, alias: string): Promise<number> {
  const indices = await indicesBehind(client, alias);
  if (indices.length === 0) return 0;
  const { body } = await client.indices.stats({ index: indices, metric: "indexing" });
  return body._all.primaries?.indexing?.index_total ?? 0;
}

describe.skipIf(!(await indexerSuitesReady()))("npm run reindex", () => {
  let catalogue: IndexedCatalogue;
  let database: IndexedCatalogue["database"];
  let client: Client;
  let alias: string;
  const env = () => catalogue.env;

  beforeAll(async () => {
    catalogue = await startIndexedCatalogue("reindex", { extraData: (db) => addBulkEvents(db, BULK_EVENTS) });
    ({ database, client, alias } = catalogue);
  }, 180_000);

  afterAll(async () => {
    await catalogue?.close();
  });

  it("builds a new index, swaps the alias in one step while searches keep answering, and keeps changes made during the build", async () => {
    const [before] = await indicesBehind(client, alias);
    const search = createEventSearch({ backend: createOpenSearchEventSearch(client, alias), pageTokens: createPageTokens(DEV_PAGE_TOKEN_SECRET, "search") });
    let searching = true;
    const outcomes: string[] = [];
    const searches = (async () => {
      while (searching) {
        const result = await search.search({ term: "calloway", includePast: false }).then(
          (found) => found.hits.map((hit) => hit.name).sort().join(" | "),
          (error: Error) => `failed: ${error.message}`,
        );
        outcomes.push(result);
      }
    })();

    const reindex = spawnEntryPoint("services/indexer/reindex-main.ts", env());
    // Once the new index is being filled from its snapshot, change the database: only the
    // indexer, writing into the new index as well as the old one, can bring these across.
    await eventually(async () => expect(await documentsWrittenInto(client, `${alias}-building`)).toBeGreaterThan(0), 30_000, 20);
    await database.db(TABLES.events).where({ id: fixtureEventId("E05") }).update({ name: "Marisol Vega: Rebuilt Tour" });
    await database.db(TABLES.events).where({ id: fixtureEventId("E13") }).del();
    expect(await reindex.exited).toBe(0);
    searching = false;
    await searches;

    expect(reindex.output()).toMatch(new RegExp(`reindexed ${Object.keys(EVENTS).length + BULK_EVENTS} events into ${alias}-\\S+ in [\\d.]+ s; alias ${alias} moved from ${before}`));
    const after = await indicesBehind(client, alias);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect((await client.indices.exists({ index: before! })).body).toBe(false);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(["Ruby Calloway Live | Sunday Soul Sessions"]));

    await eventually(async () => expect(await indexDocuments(client, alias)).toEqual(await databaseDocuments(database.db)), 60_000, 500);
    expect((await indexDocuments(client, alias)).get(fixtureEventId("E05"))?.name).toBe("Marisol Vega: Rebuilt Tour");
  }, 180_000);

  it("refuses to start while another rebuild of the same alias holds the lock", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext($1))", [`boxoffice-search-rebuild:${alias}`]);
      const refused = spawnEntryPoint("services/indexer/reindex-main.ts", env());
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toMatch(/another rebuild of the .* index is running/);
      expect(await indicesBehind(client, `${alias}-building`)).toEqual([]);
    } finally {
      await holder.end();
    }
    expect(await spawnEntryPoint("services/indexer/reindex-main.ts", env()).exited).toBe(0);
  }, 180_000);
});
