import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import {
  createTestDatabase,
  postgresAvailable,
  requireService,
  searchEngineAvailable,
  searchEngineUrl,
  type TestDatabase,
} from "../../support/real-services.js";
import { startIndexerProcess, type IndexerProcess } from "./indexer-process.js";
import { loadSearchFixture } from "./search-fixture.js";
import { dropReplicationSlots, removeIndices, searchEngineClient, uniqueAlias, uniqueSlot } from "./search-engine-fixture.js";

export const indexerSuitesReady = async () =>
  requireService("PostgreSQL", await postgresAvailable()) && requireService("search engine", await searchEngineAvailable());

/** The fixed catalogue in a database of its own, followed by an indexer process into an alias of its own. */
export interface IndexedCatalogue {
  database: TestDatabase;
  db: Knex;
  client: Client;
  alias: string;
  slot: string;
  /** The indexer's environment, for other entry points (reindex) that must agree with it. */
  env: Record<string, string>;
  indexer: IndexerProcess;
  /** A new indexer process on the same slot and alias, once the old one is gone. */
  restartIndexer(): Promise<void>;
  close(): Promise<void>;
}

export async function startIndexedCatalogue(
  suite: string,
  options: { searchUrl?: string; extraData?: (db: Knex) => Promise<void> } = {},
): Promise<IndexedCatalogue> {
  const database = await createTestDatabase();
  const client = searchEngineClient();
  const alias = uniqueAlias(suite);
  const env = { DATABASE_URL: database.url, SEARCH_URL: options.searchUrl ?? searchEngineUrl(), SEARCH_INDEX_ALIAS: alias, INDEXER_SLOT: uniqueSlot(suite) };
  let indexer: IndexerProcess | undefined;
  const catalogue: IndexedCatalogue = {
    database,
    db: database.db,
    client,
    alias,
    slot: env.INDEXER_SLOT,
    env,
    get indexer() {
      return indexer!;
    },
    async restartIndexer() {
      indexer = await startIndexerProcess(env);
      await indexer.ready(120_000);
    },
    async close() {
      await indexer?.stop();
      await removeIndices(client, alias);
      await client.close();
      await dropReplicationSlots(database.db);
      await database.drop();
    },
  };
  try {
    await loadSearchFixture(database.db);
    await options.extraData?.(database.db);
    await catalogue.restartIndexer();
    return catalogue;
  } catch (error) {
    await catalogue.close().catch(() => undefined);
    throw error;
  }
}
