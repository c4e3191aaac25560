import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFallbackSearchBackend } from "../../services/search/adapters/fallback/fallback-search-backend.js";
import { createOpenSearchEventSearch } from "../../services/search/adapters/opensearch/opensearch-event-search.js";
import { createPostgresFullTextSearch } from "../../services/search/adapters/postgres/postgres-full-text-search.js";
import { createEventSearch, type EventSearch, type SearchBackend } from "../../services/search/domain/event-search.js";
import type { SearchRequest } from "../../services/search/domain/search-query.js";
import { closeDatabase, createDatabase, migrateToLatest } from "../../services/shared/db/database.js";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "../../services/shared/paging/page-tokens.js";
import { eventIndexDefinition } from "../../services/shared/search-index/event-index.js";
import { createTestDatabase, postgresAvailable, requireService, searchEngineAvailable } from "../support/real-services.js";
import { buildIndex, dropReplicationSlots, removeIndices, searchEngineClient, uniqueAlias } from "./support/search-engine-fixture.js";
import { LOCAL_DAYS, loadZonedCatalogue, ZONED_EVENTS, ZONED_VENUES, zonedEventKeyOf } from "./support/zoned-catalogue.js";

const pageTokens = createPageTokens(DEV_PAGE_TOKEN_SECRET, "search");
const onServer = requireService("PostgreSQL", await postgresAvailable());
const withEngine = onServer && requireService("search engine", await searchEngineAvailable());

interface StartedBackend {
  backend: SearchBackend;
  close(): Promise<void>;
}

/** The zoned catalogue in a migrated PostgreSQL server database of its own. */
async function serverDatabase() {
  const database = await createTestDatabase();
  await loadZonedCatalogue(database.db);
  return database;
}

const BACKENDS: Array<{ name: string; answeredBy: string; enabled: boolean; start(): Promise<StartedBackend> }> = [
  {
    // The embedded default's database: its time zone data is compiled into the WebAssembly build.
    name: "PostgreSQL full text on PGlite",
    answeredBy: "postgres",
    enabled: true,
    async start() {
      const db = createDatabase({ kind: "pglite" });
      await migrateToLatest(db);
      await loadZonedCatalogue(db);
      return { backend: createPostgresFullTextSearch(db), close: () => closeDatabase(db) };
    },
  },
  {
    name: "PostgreSQL full text on a PostgreSQL server",
    answeredBy: "postgres",
    enabled: onServer,
    async start() {
      const database = await serverDatabase();
      return { backend: createPostgresFullTextSearch(database.db), close: () => database.drop() };
    },
  },
  {
    name: "OpenSearch",
    answeredBy: "opensearch",
    enabled: withEngine,
    async start() {
      const database = await serverDatabase();
      const client = searchEngineClient();
      const alias = uniqueAlias("local-day");
      await buildIndex(database.db, database.url, client, alias);
      return {
        backend: createOpenSearchEventSearch(client, alias),
        async close() {
          await removeIndices(client, alias);
          await client.close();
          await dropReplicationSlots(database.db);
          await database.drop();
        },
      };
    },
  },
];

const keysOf = (hits: ReadonlyArray<{ id: string }>) => hits.map((hit) => zonedEventKeyOf(hit.id));

for (const { name, answeredBy, enabled, start } of BACKENDS) {
  describe.skipIf(!enabled)(`a search by date on ${name} means the day on the venue's clock`, () => {
    let started: StartedBackend | undefined;
    let search: EventSearch;
    const find = (request: Partial<SearchRequest>) => search.search({ term: "", includePast: true, pageSize: 50, ...request });

    beforeAll(async () => {
      started = await start();
      search = createEventSearch({ backend: started.backend, pageTokens });
    }, 120_000);

    afterAll(async () => {
      await started?.close();
    });

    it.each(LOCAL_DAYS)("$date lists $events", async ({ date, events }) => {
      const result = await find({ date });
      expect(result.backend).toBe(answeredBy);
      expect(keysOf(result.hits)).toEqual(events);
    });

    it("gives every hit its venue's time zone", async () => {
      const result = await find({ date: "2027-03-28" });
      expect(result.hits.length).toBeGreaterThan(0);
      for (const hit of result.hits) expect(hit.venueTimeZone).toBe(ZONED_VENUES[ZONED_EVENTS[zonedEventKeyOf(hit.id)].venue].timezone);
    });

    it("combines the day with a term, ranked by relevance", async () => {
      expect(keysOf((await find({ term: "blues", date: "2027-03-14" })).hits).sort()).toEqual(["Z05", "Z06"]);
      expect(keysOf((await find({ term: "london", date: "2027-03-28" })).hits).sort()).toEqual(["Z08", "Z09"]);
    });

    it("narrows the day further by a range given beside it", async () => {
      const result = await find({ date: "2027-03-28", startsBefore: new Date("2027-03-28T12:00:00Z") });
      expect(keysOf(result.hits)).toEqual(["Z10", "Z08"]);
    });
  });
}

describe.skipIf(!withEngine)("a search by date while the index predates the venue's local date", () => {
  let database: Awaited<ReturnType<typeof serverDatabase>>;
  let client: Client;
  const alias = uniqueAlias("old-schema");

  beforeAll(async () => {
    database = await serverDatabase();
    client = searchEngineClient();
    // The mapping as it was before documents carried the venue's zone: no field for the local day.
    const { mappings, settings } = eventIndexDefinition({ replicas: 0, refreshInterval: "1s" });
    const { venue_local_date: _day, venue_timezone: _zone, ...properties } = mappings.properties;
    await client.indices.create({ index: `${alias}-v1`, body: { settings, mappings: { dynamic: "strict", properties }, aliases: { [alias]: {} } } as never });
  }, 60_000);

  afterAll(async () => {
    await removeIndices(client, alias);
    await client?.close();
    await database?.drop();
  });

  it("is refused by the engine, so PostgreSQL answers it instead of an empty page", async () => {
    const engine = createOpenSearchEventSearch(client, alias);
    const postgres = createPostgresFullTextSearch(database.db as Knex);
    await expect(createEventSearch({ backend: engine, pageTokens }).search({ term: "", date: "2027-01-17", includePast: true })).rejects.toThrow(/venue_local_date/);

    const fallback = createFallbackSearchBackend(engine, postgres, { timeoutMs: 10_000, resetTimeoutMs: 60_000 });
    const result = await createEventSearch({ backend: fallback, pageTokens }).search({ term: "", date: "2027-01-17", includePast: true });
    expect(result.backend).toBe("postgres");
    expect(keysOf(result.hits)).toEqual(["Z03"]);
  });
});
