import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "@opensearch-project/opensearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TABLES } from "../../services/shared/db/tables.js";
import { grpcJs, type GrpcJsClient } from "../support/grpc-js-clients.js";
import { searchEngineUrl } from "../support/real-services.js";
import { eventually, freePort, spawnEntryPoint, type SpawnedService } from "../support/spawned-service.js";
import { databaseDocuments, indexDocuments } from "./support/index-contents.js";
import { indexerSuitesReady, startIndexedCatalogue, type IndexedCatalogue } from "./support/indexed-catalogue.js";
import { fixtureEventId } from "./support/search-fixture.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

// The engine is reached through a proxy this suite can cut, hang and restore; the shared engine
// other suites use is never touched.
describe.skipIf(!(await indexerSuitesReady()))("when the search engine goes away", () => {
  let catalogue: IndexedCatalogue;
  let client: Client;
  let proxy: TcpProxy;
  let searchProcess: SpawnedService;
  let search: GrpcJsClient<"searchEvents">;
  let health: GrpcJsClient<"check">;

  const searchFor = async (term: string) => {
    const response = await search.searchEvents({ term, page_size: 10 });
    return { backend: response.backend as string, names: (response.events as Array<{ name: string }>).map((event) => event.name).sort() };
  };

  beforeAll(async () => {
    proxy = await startTcpProxy(searchEngineUrl());
    catalogue = await startIndexedCatalogue("outage", { searchUrl: proxy.url });
    client = catalogue.client;
    const port = await freePort();
    searchProcess = spawnEntryPoint("services/search/main.ts", {
      DATABASE_URL: catalogue.database.url,
      SEARCH_URL: proxy.url,
      SEARCH_INDEX_ALIAS: catalogue.alias,
      SEARCH_PORT: String(port),
      SEARCH_ADMIN_PORT: "0",
      SEARCH_ENGINE_TIMEOUT_MS: "2000",
      SEARCH_BREAKER_RESET_MS: "500",
      // Every query below is asked once per state, but a cached answer must not hide a fallback.
      SEARCH_CACHE_TTL_SECONDS: "1",
    });
    search = grpcJs.search(`127.0.0.1:${port}`);
    health = grpcJs.health(`127.0.0.1:${port}`);
    await eventually(async () => expect(await health.check({ service: "" })).toEqual({ status: "SERVING" }));
  }, 180_000);

  afterAll(async () => {
    search?.close();
    health?.close();
    await searchProcess?.stop();
    await catalogue?.close();
    await proxy?.close();
  });

  it("answers from the search engine while it is up", async () => {
    expect(await searchFor("calloway")).toEqual({ backend: "opensearch", names: ["Ruby Calloway Live", "Sunday Soul Sessions"] });
  });

  it("answers from PostgreSQL, with the same events, while the engine refuses connections", async () => {
    proxy.cut();
    expect(await searchFor("caloway")).toEqual({ backend: "postgres", names: ["Ruby Calloway Live", "Sunday Soul Sessions"] });
    expect(await searchFor("tayl")).toEqual({ backend: "postgres", names: ["Taylor Quinn: Acoustic Night", "Taylor Quinn: The Midnight Arcs Tour"] });
    // Search can still do its job, so it stays in rotation.
    expect(await health.check({ service: "" })).toEqual({ status: "SERVING" });
  });

  it("answers from PostgreSQL when the engine accepts connections but never answers", async () => {
    proxy.hang();
    expect(await searchFor("kojo mensah")).toMatchObject({ backend: "postgres" });
    expect((await searchFor("velvet")).backend).toBe("postgres");
  });

  it("goes back to the engine once it answers again", async () => {
    proxy.restore();
    await eventually(async () => expect((await searchFor("hartmann")).backend).toBe("opensearch"), 30_000, 300);
    expect(await searchFor("swan lake")).toEqual({ backend: "opensearch", names: ["Swan Lake"] });
  });

  it("changes committed during an outage reach the index after the indexer is killed and restarted", async () => {
    proxy.cut();
    const { db } = catalogue;
    await db(TABLES.events).where({ id: fixtureEventId("E09") }).update({ name: "Elias Brandt Quartet plays Monk" });
    await db(TABLES.events).where({ id: fixtureEventId("E16") }).del();
    await db(TABLES.performers).where({ name: "Gravel & Pine" }).update({ name: "Gravel & Oak" });
    // The indexer is retrying these now; none may be confirmed to the slot before it is written.
    await sleep(1_500);
    await catalogue.indexer.kill();
    proxy.restore();
    await catalogue.restartIndexer();
    await eventually(async () => expect(await indexDocuments(client, catalogue.alias)).toEqual(await databaseDocuments(db)), 60_000, 500);
    expect((await indexDocuments(client, catalogue.alias)).get(fixtureEventId("E09"))?.name).toBe("Elias Brandt Quartet plays Monk");
  }, 120_000);
});
