import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import type { Logger } from "../shared/logging/logger.js";
import { ChangeApplier, type BatchSettings } from "./change-applier.js";
import { dropSlot, publicationExists, slotState, withNewSlotSnapshot } from "./cdc/replication-slot.js";
import { ReplicationStream } from "./cdc/replication-stream.js";
import { EVENT_INDEX_SCHEMA_VERSION } from "../shared/search-index/event-index.js";
import { indicesBehind } from "./index/index-aliases.js";
import { outdatedIndices } from "./index/index-schema.js";
import { rebuildIndex, type IndexSettings, type RebuildDeps, type SnapshotSource } from "./index-rebuild.js";
import type { IndexerMetrics } from "./indexer-metrics.js";

export interface IndexerDeps {
  db: Knex;
  connectionString: string;
  client: Client;
  alias: string;
  slot: string;
  publication: string;
  batch: BatchSettings;
  index: IndexSettings;
  metrics: IndexerMetrics;
  logger: Logger;
}

/** A snapshot from a temporary slot: for rebuilding while the indexer's own slot keeps its place. */
export function temporarySlotSnapshot(connectionString: string, slot: string): SnapshotSource {
  const name = `${slot.slice(0, 40)}_tmp_${randomBytes(4).toString("hex")}`;
  return (use) => withNewSlotSnapshot(connectionString, { name, temporary: true }, use);
}

export const rebuildDepsOf = (deps: IndexerDeps): RebuildDeps => ({
  db: deps.db,
  connectionString: deps.connectionString,
  client: deps.client,
  alias: deps.alias,
  settings: deps.index,
  logger: deps.logger,
});

/**
 * The change-data-capture indexer: makes sure an index exists that its slot keeps current
 * (building one from a snapshot on the first run), then follows the slot until stopped,
 * reconnecting with backoff when PostgreSQL or the stream fails.
 */
export function createIndexer(deps: IndexerDeps) {
  const { logger } = deps;
  const stopping = new AbortController();
  let stream: ReplicationStream | undefined;
  let applier: ChangeApplier | undefined;
  let following: Promise<void> | undefined;

  async function prepare(): Promise<void> {
    if (!(await publicationExists(deps.db, deps.publication))) {
      throw new Error(`publication ${deps.publication} does not exist: run the database migrations first`);
    }
    let state = await slotState(deps.db, deps.slot);
    if (state === "lost") {
      logger.warn({ slot: deps.slot }, "the replication slot lost WAL it needed; rebuilding the index from a new slot");
      await dropSlot(deps.db, deps.slot);
      state = "missing";
    }
    if (state === "missing") {
      // An index no slot keeps current only drifts further; searches fall back to PostgreSQL
      // until the new one is promoted, which is better than stale answers with no end.
      const orphaned = await indicesBehind(deps.client, deps.alias);
      if (orphaned.length > 0) {
        logger.warn({ indices: orphaned }, "no slot follows these indices; removing them before the rebuild");
        await deps.client.indices.delete({ index: orphaned });
      }
      try {
        await rebuildIndex(rebuildDepsOf(deps), (use) => withNewSlotSnapshot(deps.connectionString, { name: deps.slot, temporary: false }, use));
      } catch (error) {
        // Without its index the slot would be followed into an alias that does not exist.
        await dropSlot(deps.db, deps.slot).catch(() => undefined);
        throw error;
      }
      return;
    }
    const serving = await indicesBehind(deps.client, deps.alias);
    const outdated = await outdatedIndices(deps.client, serving);
    if (outdated.length > 0) {
      // Searches keep reading the old index until the new one is promoted; this indexer's
      // documents would not fit its mapping, so it follows the stream only after the swap.
      logger.info({ indices: outdated, schemaVersion: EVENT_INDEX_SCHEMA_VERSION }, "the index predates this indexer's document schema; rebuilding it");
    }
    if (serving.length === 0 || outdated.length > 0) {
      await rebuildIndex(rebuildDepsOf(deps), temporarySlotSnapshot(deps.connectionString, deps.slot));
    }
  }

  async function follow(): Promise<void> {
    for (let failures = 0; !stopping.signal.aborted; ) {
      const current = new ReplicationStream({ connectionString: deps.connectionString, slot: deps.slot, publication: deps.publication, logger });
      const currentApplier = new ChangeApplier({ ...deps, settings: deps.batch, confirm: (lsn) => current.confirm(lsn) });
      stream = current;
      applier = currentApplier;
      try {
        await current.run((transaction) => currentApplier.add(transaction));
        failures = 0;
      } catch (error) {
        if (stopping.signal.aborted) break;
        failures++;
        logger.error({ err: error, failures }, "the change stream stopped; reconnecting");
      } finally {
        await currentApplier.close();
      }
      await sleep(Math.min(500 * 2 ** failures, 30_000), undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  }

  return {
    /** True while changes are being followed (the readiness of the process). */
    get streaming(): boolean {
      return stream?.streaming ?? false;
    },
    /** Resolves once an index exists and the stream is being followed in the background. */
    async start(): Promise<void> {
      await prepare();
      following = follow();
    },
    /** Lets the batch in hand finish, confirms it, then closes the stream. */
    async stop(): Promise<void> {
      stopping.abort();
      await applier?.close();
      await stream?.stop();
      await following;
    },
  };
}
