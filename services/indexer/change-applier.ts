import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import type { Logger } from "../shared/logging/logger.js";
import { changedKeyCount, mergeChangedKeys, noChangedKeys, type ChangedKeys } from "./cdc/changed-keys.js";
import { documentVersion, type Lsn } from "./cdc/lsn.js";
import type { DecodedTransaction } from "./cdc/replication-stream.js";
import { allEventIds, chunks, eventsShowing, loadEventDocuments } from "./event-documents.js";
import { writeTargets } from "./index/index-aliases.js";
import { indexedIds } from "./index/indexed-ids.js";
import { writeVersioned, type WriteOutcome } from "./index/index-writer.js";
import { holdWriteTargets } from "./index/write-target-lock.js";
import type { IndexerMetrics } from "./indexer-metrics.js";

export interface BatchSettings {
  /** Flush once this many events, venues and performers have changed... */
  maxKeys: number;
  /** ...or this long after the first change of the batch, whichever comes first. */
  maxWaitMs: number;
}

export interface ApplierDeps {
  db: Knex;
  client: Client;
  alias: string;
  settings: BatchSettings;
  metrics: IndexerMetrics;
  logger: Logger;
  /** Told the end of the last transaction once a batch is written: the stream may confirm it. */
  confirm(lsn: Lsn): void;
}

interface Batch {
  keys: ChangedKeys;
  xids: number[];
  committedAt: Date[];
  lastCommitEnd: Lsn;
  unmapped: number;
}

/**
 * Gathers transactions into batches (whole transactions, in commit order) and applies each
 * batch: read the changed events' current documents from PostgreSQL, write them (or their
 * deletion) to the search engine versioned by the batch's last commit position. A batch that
 * fails is retried as it is until it succeeds; nothing after it is confirmed meanwhile.
 */
export class ChangeApplier {
  private batch: Batch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly closing = new AbortController();

  constructor(private readonly deps: ApplierDeps) {}

  add(transaction: DecodedTransaction): Promise<void> {
    return this.serially(async () => {
      const batch = (this.batch ??= { keys: noChangedKeys(), xids: [], committedAt: [], lastCommitEnd: 0n, unmapped: 0 });
      mergeChangedKeys(batch.keys, transaction.keys);
      batch.xids.push(transaction.xid);
      batch.committedAt.push(transaction.committedAt);
      batch.lastCommitEnd = transaction.commitEndLsn;
      batch.unmapped += transaction.unmapped;
      if (changedKeyCount(batch.keys) >= this.deps.settings.maxKeys || batch.keys.everything) await this.flush();
      else this.timer ??= setTimeout(() => void this.serially(() => this.flush()).catch(() => undefined), this.deps.settings.maxWaitMs);
    });
  }

  /** Stops retrying and waits for the batch in hand; what was not confirmed is replayed later. */
  async close(): Promise<void> {
    this.closing.abort();
    clearTimeout(this.timer);
    await this.queue.catch(() => undefined);
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    if (!batch) return;
    const { metrics, logger } = this.deps;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const outcome = await applyBatch(this.deps, batch);
        const seconds = (performance.now() - started) / 1000;
        metrics.batchApplied(batch.committedAt, outcome, batch.unmapped, seconds);
        logger.debug({ transactions: batch.xids.length, ...outcome, ms: Math.round(seconds * 1000) }, "applied a batch of changes");
        break;
      } catch (error) {
        if (this.closing.signal.aborted) throw error;
        metrics.batchFailed();
        const waitMs = Math.min(250 * 2 ** (attempt - 1), 10_000);
        logger.warn({ err: error, attempt, retryInMs: waitMs }, "could not apply a batch of changes; retrying");
        await sleep(waitMs, undefined, { signal: this.closing.signal });
      }
    }
    this.batch = undefined;
    this.deps.confirm(batch.lastCommitEnd);
  }
}

async function applyBatch(deps: ApplierDeps, batch: Batch): Promise<WriteOutcome> {
  const { db, client, alias } = deps;
  const version = documentVersion(batch.lastCommitEnd);
  return readingAfter(db, batch.xids, async (trx) => {
    const outcome: WriteOutcome = { indexed: 0, deleted: 0, stale: 0 };
    const ids = new Set([...batch.keys.events, ...(await eventsShowing(trx, [...batch.keys.venues], [...batch.keys.performers]))]);
    if (ids.size === 0 && !batch.keys.everything) return outcome;
    // Held until this transaction ends, after the writes: the targets cannot be deleted meanwhile.
    await holdWriteTargets(trx, alias);
    const targets = await writeTargets(client, alias);
    if (targets.length === 0) throw new Error(`no index behind the alias ${alias}: run the reindex`);
    if (batch.keys.everything) {
      for await (const page of allEventIds(trx)) page.forEach((id) => ids.add(id));
      for (const id of await indexedIds(client, targets)) ids.add(id);
    }
    for (const chunk of chunks([...ids])) {
      const documents = await loadEventDocuments(trx, chunk);
      const found = new Set(documents.map((document) => document.id));
      const written = await writeVersioned(client, targets, { documents, deletedIds: chunk.filter((id) => !found.has(id)) }, version);
      outcome.indexed += written.indexed;
      outcome.deleted += written.deleted;
      outcome.stale += written.stale;
    }
    return outcome;
  });
}

/**
 * Runs `read` in a snapshot that sees every transaction of the batch. The stream can deliver a
 * commit a moment before a new snapshot shows it; a document read in that moment would be
 * older than the version it is written with, and the engine would keep it.
 */
async function readingAfter<T>(db: Knex, xids: readonly number[], read: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await db.transaction(
      async (trx) => ((await allVisible(trx, xids)) ? { value: await read(trx) } : undefined),
      { isolationLevel: "repeatable read", readOnly: true },
    );
    if (result) return result.value;
    if (attempt >= 200) throw new Error(`committed transactions ${xids.join(", ")} are still not visible`);
    await sleep(5);
  }
}

// Widens each 32-bit xid to the 64-bit id of the epoch it belongs to (the one of the snapshot's
// xmax, or the one before when it is numerically larger), then asks the snapshot.
const ALL_VISIBLE = `
  SELECT coalesce(bool_and(pg_visible_in_snapshot(
           (((e.epoch - CASE WHEN u.x > e.low THEN 1 ELSE 0 END) << 32) + u.x)::text::xid8, s.snap)), true) AS visible
  FROM (SELECT pg_current_snapshot() AS snap) s
  CROSS JOIN LATERAL (SELECT pg_snapshot_xmax(s.snap)::text::bigint AS xmax) m
  CROSS JOIN LATERAL (SELECT m.xmax >> 32 AS epoch, m.xmax & 4294967295 AS low) e
  CROSS JOIN unnest(?::bigint[]) AS u(x)`;

async function allVisible(trx: Knex.Transaction, xids: readonly number[]): Promise<boolean> {
  if (xids.length === 0) return true;
  const { rows } = await trx.raw<{ rows: Array<{ visible: boolean }> }>(ALL_VISIBLE, [[...new Set(xids)]]);
  return rows[0]?.visible ?? true;
}
