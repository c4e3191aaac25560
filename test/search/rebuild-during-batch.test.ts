import type { Client } from "@opensearch-project/opensearch";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChangeApplier } from "../../services/indexer/change-applier.js";
import { noChangedKeys } from "../../services/indexer/cdc/changed-keys.js";
import { parseLsn } from "../../services/indexer/cdc/lsn.js";
import { indicesBehind } from "../../services/indexer/index/index-aliases.js";
import { createIndexerMetrics } from "../../services/indexer/indexer-metrics.js";
import { TABLES } from "../../services/shared/db/tables.js";
import { createTestDatabase, postgresAvailable, requireService, searchEngineAvailable, type TestDatabase } from "../support/real-services.js";
import { eventually } from "../support/spawned-service.js";
import { fixtureEventId, loadSearchFixture } from "./support/search-fixture.js";
import { buildIndex, dropReplicationSlots, quietLogger, removeIndices, searchEngineClient, uniqueAlias } from "./support/search-engine-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("search engine", await searchEngineAvailable());

/** The real client, except that bulk writes wait at a gate the test opens. */
function gatedBulk(client: Client) {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reached: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (reached = resolve));
  const gated = new Proxy(client, {
    get(target, property) {
      if (property !== "bulk") return Reflect.get(target, property);
      return async (...args: Parameters<Client["bulk"]>) => {
        reached();
        await gate;
        return target.bulk(...args);
      };
    },
  });
  return { client: gated, waiting, open };
}

describe.skipIf(!ready)("a rebuild that promotes its index while a change batch is writing", () => {
  let database: TestDatabase;
  let client: Client;
  const alias = uniqueAlias("retarget");

  beforeAll(async () => {
    database = await createTestDatabase();
    await loadSearchFixture(database.db);
    client = searchEngineClient();
    await buildIndex(database.db, database.url, client, alias);
  });

  afterAll(async () => {
    await removeIndices(client, alias);
    await client?.close();
    if (database) await dropReplicationSlots(database.db);
    await database?.drop();
  });

  it("waits for the batch before deleting the old index, so the batch cannot bring it back as a stray unmapped index", async () => {
    const [before] = await indicesBehind(client, alias);
    const eventId = fixtureEventId("E09");
    // The change a batch carries: its transaction id and where it committed.
    const { xid, lsn } = await database.db.transaction(async (trx) => {
      await trx(TABLES.events).where({ id: eventId }).update({ name: "Elias Brandt Quartet plays Monk" });
      const { rows } = await trx.raw<{ rows: Array<{ xid: string; lsn: string }> }>("SELECT txid_current()::text AS xid, pg_current_wal_lsn()::text AS lsn");
      return { xid: Number(BigInt(rows[0]!.xid) & 0xffffffffn), lsn: parseLsn(rows[0]!.lsn) };
    });

    // A batch that has resolved its targets (the old index) and is about to bulk-write to it.
    const bulk = gatedBulk(client);
    const applier = new ChangeApplier({
      db: database.db,
      client: bulk.client,
      alias,
      settings: { maxKeys: 1, maxWaitMs: 10 },
      metrics: createIndexerMetrics(new Registry()),
      logger: quietLogger,
      confirm: () => undefined,
    });
    const keys = noChangedKeys();
    keys.events.add(eventId);
    const applying = applier.add({ xid, commitEndLsn: lsn, committedAt: new Date(), keys, changes: 1, unmapped: 0 });
    await bulk.waiting;

    let rebuilt = false;
    const rebuilding = buildIndex(database.db, database.url, client, alias).finally(() => (rebuilt = true));
    // The rebuild has loaded its index and is at the swap: it either waits for the batch (an
    // ungranted advisory lock) or, were nothing to stop it, has already deleted the old index.
    await eventually(async () => {
      const { rows } = await database.db.raw<{ rows: unknown[] }>(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      expect(rebuilt || rows.length > 0).toBe(true);
    }, 60_000, 50);
    bulk.open();
    await applying;
    const report = await rebuilding;
    await applier.close();

    expect(report.replaced).toEqual([before]);
    const { body } = await client.cat.indices({ index: `${alias}-*`, format: "json", expand_wildcards: "all" });
    expect((body as unknown as Array<{ index: string }>).map((row) => row.index).sort()).toEqual([report.index]);
    await client.indices.refresh({ index: alias });
    const { body: found } = await client.get({ index: alias, id: eventId });
    expect((found._source as { name: string }).name).toBe("Elias Brandt Quartet plays Monk");
  });
});
