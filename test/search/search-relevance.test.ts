import type { Client } from "@opensearch-project/opensearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenSearchEventSearch } from "../../services/search/adapters/opensearch/opensearch-event-search.js";
import { createPostgresFullTextSearch } from "../../services/search/adapters/postgres/postgres-full-text-search.js";
import { createEventSearch, type EventSearch } from "../../services/search/domain/event-search.js";
import {
  createTestDatabase,
  postgresAvailable,
  requireService,
  searchEngineAvailable,
  type TestDatabase,
} from "../support/real-services.js";
import { LABELLED_QUERIES } from "./support/labelled-queries.js";
import { eventKeyOf, loadSearchFixture, type EventKey } from "./support/search-fixture.js";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "../../services/shared/paging/page-tokens.js";

const pageTokens = createPageTokens(DEV_PAGE_TOKEN_SECRET, "search");
import { buildIndex, dropReplicationSlots, removeIndices, searchEngineClient, uniqueAlias } from "./support/search-engine-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("search engine", await searchEngineAvailable());

describe.skipIf(!ready)("the labelled queries over the fixed catalogue", () => {
  let database: TestDatabase;
  let client: Client;
  const alias = uniqueAlias("relevance");
  const searches: Record<string, EventSearch> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    await loadSearchFixture(database.db);
    client = searchEngineClient();
    await buildIndex(database.db, database.url, client, alias);
    searches.postgres = createEventSearch({ backend: createPostgresFullTextSearch(database.db), pageTokens });
    searches.opensearch = createEventSearch({ backend: createOpenSearchEventSearch(client, alias), pageTokens });
  });

  afterAll(async () => {
    await removeIndices(client, alias);
    await client?.close();
    if (database) await dropReplicationSlots(database.db);
    await database?.drop();
  });

  const keysOf = async (backend: string, request: Parameters<EventSearch["search"]>[0]) => {
    const result = await searches[backend]!.search(request);
    expect(result.backend).toBe(backend);
    return result.hits.map((hit) => eventKeyOf(hit.id));
  };

  describe.each(["postgres", "opensearch"])("on %s", (backend) => {
    it.each(LABELLED_QUERIES)("$name", async (labelled) => {
      const keys = await keysOf(backend, { term: "", includePast: false, pageSize: 50, ...labelled.request });
      if (labelled.ordered) expect(keys).toEqual(labelled.ordered);
      if (labelled.set) expect([...keys].sort()).toEqual([...labelled.set].sort());
      if (labelled.top) expect(keys[0]).toBe(labelled.top);
      for (const key of labelled.includes ?? []) expect(keys).toContain(key);
    });

    it("pages through a filtered list without gaps or repeats, and the last page says so", async () => {
      const pages: EventKey[][] = [];
      let pageToken: string | undefined;
      do {
        const result = await searches[backend]!.search({ term: "", city: "london", type: "comedy", pageSize: 2, pageToken, includePast: false });
        pages.push(result.hits.map((hit) => eventKeyOf(hit.id)));
        pageToken = result.nextPageToken || undefined;
      } while (pageToken);
      expect(pages).toEqual([["E11", "E12"], ["E27", "E28"], ["E29"]]);
    });

    it("pages through relevance-ranked results in the same order as one big page", async () => {
      const all = await keysOf(backend, { term: "kojo", pageSize: 50, includePast: false });
      const first = await searches[backend]!.search({ term: "kojo", pageSize: 3, includePast: false });
      const second = await searches[backend]!.search({ term: "kojo", pageSize: 3, pageToken: first.nextPageToken, includePast: false });
      expect([...first.hits, ...second.hits].map((hit) => eventKeyOf(hit.id))).toEqual(all);
      expect(second.nextPageToken).toBe("");
    });

    it("shows the cheapest ticket left, and none when every ticket is sold", async () => {
      const result = await searches[backend]!.search({ term: "taylor quinn", includePast: false, pageSize: 10 });
      const byKey = new Map(result.hits.map((hit) => [eventKeyOf(hit.id), hit]));
      expect(byKey.get("E01")).toMatchObject({ lowestPriceMinor: 9500, currency: "USD", ticketsAvailable: true, venueName: "Lakeside Pavilion", city: "Chicago" });
      expect(byKey.get("E01")!.performers).toEqual(["Taylor Quinn", "The Paper Lanterns"]);
      expect(byKey.get("E02")).toMatchObject({ lowestPriceMinor: null, ticketsAvailable: false });
    });

    it("reports the distance of each event from the point searched", async () => {
      const result = await searches[backend]!.search({ term: "", near: { latitude: 51.5074, longitude: -0.1278, radiusKm: 20 }, sort: "distance", includePast: false });
      const distances = result.hits.map((hit) => hit.distanceKm!);
      expect(distances[0]).toBeCloseTo(0.74, 1);
      expect(distances[distances.length - 1]).toBeCloseTo(3.64, 1);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    });
  });
});
