import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import { createSearchEngineClient } from "../../../services/shared/search-index/search-engine-client.js";
import { rebuildIndex } from "../../../services/indexer/index-rebuild.js";
import { temporarySlotSnapshot } from "../../../services/indexer/indexer.js";
import { createLogger } from "../../../services/shared/logging/logger.js";
import { searchEngineUrl } from "../../support/real-services.js";

export const quietLogger = createLogger("test", "silent");

export const searchEngineClient = (url = searchEngineUrl()): Client => createSearchEngineClient({ url });

/** Suites run in parallel against one engine: each gets aliases (and so indices) of its own. */
export const uniqueAlias = (suite: string) => `test-${suite}-${randomBytes(4).toString("hex")}`;

/** Slot names are cluster-wide; a suite's own prefix keeps parallel suites apart. */
export const uniqueSlot = (suite: string) => `test_${suite.replace(/-/g, "_")}_${randomBytes(4).toString("hex")}`;

/** Deletes every index the alias ever had (and the building one). */
export async function removeIndices(client: Client, alias: string): Promise<void> {
  await client.indices.delete({ index: `${alias}-*`, expand_wildcards: "all" }).catch(() => undefined);
}

/** Builds the alias's index from the database as `npm run reindex` does. */
export async function buildIndex(db: Knex, url: string, client: Client, alias: string) {
  return rebuildIndex(
    { db, connectionString: url, client, alias, settings: { replicas: 0, refreshInterval: "100ms" }, logger: quietLogger },
    temporarySlotSnapshot(url, `test_${alias.replace(/-/g, "_")}`),
  );
}

/**
 * Drops this database's replication slots, which would otherwise keep WAL forever and block
 * DROP DATABASE. A walsender takes a moment to let go of a slot after its client is gone.
 */
export async function dropReplicationSlots(db: Knex): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await db.raw<{ rows: Array<{ slot_name: string; active: boolean }> }>(
      "SELECT slot_name, active FROM pg_replication_slots WHERE database = current_database()",
    );
    if (rows.length === 0) return;
    for (const slot of rows.filter((row) => !row.active)) {
      await db.raw("SELECT pg_drop_replication_slot(?)", [slot.slot_name]).catch(() => undefined);
    }
    await sleep(200);
  }
  throw new Error("replication slots of the test database stayed active");
}
