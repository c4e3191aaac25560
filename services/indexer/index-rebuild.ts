import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import pg from "pg";
import type { Logger } from "../shared/logging/logger.js";
import { buildingAlias, eventIndexDefinition, versionedIndexName } from "../shared/search-index/event-index.js";
import { documentVersion } from "./cdc/lsn.js";
import type { ExportedSnapshot } from "./cdc/replication-slot.js";
import { allEventIds, loadEventDocuments } from "./event-documents.js";
import { indicesBehind, promoteIndex } from "./index/index-aliases.js";
import { writeVersioned } from "./index/index-writer.js";
import { changingWriteTargets } from "./index/write-target-lock.js";

export interface IndexSettings {
  replicas: number;
  refreshInterval: string;
}

export interface RebuildDeps {
  db: Knex;
  /** For the lock that keeps two rebuilds of one alias apart. */
  connectionString: string;
  client: Client;
  alias: string;
  settings: IndexSettings;
  logger: Logger;
}

/** Runs `use` with a snapshot exported from a new replication slot (see withNewSlotSnapshot). */
export type SnapshotSource = (use: (snapshot: ExportedSnapshot) => Promise<number>) => Promise<number>;

export interface RebuildReport {
  index: string;
  documents: number;
  replaced: string[];
  seconds: number;
}

/**
 * Builds a new versioned index from a database snapshot and swaps the alias to it in one step;
 * searches read the old index until then. The new index joins the "building" alias before the
 * snapshot is taken, so the running indexer writes every later change into it as well.
 */
export async function rebuildIndex(deps: RebuildDeps, takeSnapshot: SnapshotSource): Promise<RebuildReport> {
  const { client, alias, logger } = deps;
  const started = performance.now();
  const lock = await lockRebuild(deps.connectionString, alias);
  try {
    // Only a rebuild that crashed leaves an index here: the lock says no other is running.
    const abandoned = await indicesBehind(client, buildingAlias(alias));
    if (abandoned.length > 0) await lock.changingTargets(() => client.indices.delete({ index: abandoned }));

    const index = versionedIndexName(alias);
    const definition = eventIndexDefinition({ replicas: 0, refreshInterval: "-1" });
    // Deletions the change stream writes during the load must outlive it, or an older snapshot
    // document written after them could bring a deleted event back.
    const settings = { ...definition.settings, gc_deletes: "12h" };
    await client.indices.create({ index, body: { ...definition, settings, aliases: { [buildingAlias(alias)]: {} } } as never });
    logger.info({ index, alias }, "rebuilding the search index");
    try {
      const documents = await takeSnapshot((snapshot) => loadSnapshot(deps, index, snapshot));
      await client.indices.putSettings({
        index,
        body: { index: { refresh_interval: deps.settings.refreshInterval, number_of_replicas: deps.settings.replicas, gc_deletes: null } } as never,
      });
      await client.indices.refresh({ index });
      const replaced = await lock.changingTargets(async () => {
        const previous = await promoteIndex(client, alias, index);
        if (previous.length > 0) await client.indices.delete({ index: previous });
        return previous;
      });
      const report = { index, documents, replaced, seconds: (performance.now() - started) / 1000 };
      logger.info(report, "search index rebuilt and promoted");
      return report;
    } catch (error) {
      await lock.changingTargets(() => client.indices.delete({ index })).catch(() => undefined);
      throw error;
    }
  } finally {
    await lock.release();
  }
}

async function loadSnapshot(deps: RebuildDeps, index: string, snapshot: ExportedSnapshot): Promise<number> {
  if (!/^[0-9A-Fa-f-]+$/.test(snapshot.name)) throw new Error(`unexpected snapshot name ${snapshot.name}`);
  const version = documentVersion(snapshot.consistentPoint);
  return deps.db.transaction(async (trx) => {
    await trx.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    await trx.raw(`SET TRANSACTION SNAPSHOT '${snapshot.name}'`);
    let documents = 0;
    // The next page is read from PostgreSQL while the engine takes the last one.
    let writing: Promise<unknown> = Promise.resolve();
    try {
      for await (const ids of allEventIds(trx)) {
        const page = await loadEventDocuments(trx, ids);
        await writing;
        writing = writeVersioned(deps.client, [index], { documents: page, deletedIds: [] }, version);
        documents += page.length;
      }
      await writing;
    } finally {
      // A failed read must not leave a write in flight that outlives the index's deletion.
      await writing.catch(() => undefined);
    }
    return documents;
  });
}

interface RebuildLock {
  /** Runs `change` to the alias's indices once no batch of the change stream is writing to them. */
  changingTargets<T>(change: () => Promise<T>): Promise<T>;
  release(): Promise<void>;
}

async function lockRebuild(connectionString: string, alias: string): Promise<RebuildLock> {
  const session = new pg.Client({ connectionString, application_name: "boxoffice-reindex" });
  session.on("error", () => undefined);
  await session.connect();
  const { rows } = await session.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [`boxoffice-search-rebuild:${alias}`]);
  if (!rows[0]?.locked) {
    await session.end();
    throw new Error(`another rebuild of the ${alias} index is running`);
  }
  return {
    changingTargets: (change) => changingWriteTargets(session, alias, change),
    release: () => session.end().catch(() => undefined),
  };
}
