import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { WriteOutcome } from "./index/index-writer.js";

/** What an operator watches: how far behind the index is, and whether batches fail. */
export function createIndexerMetrics(registry: Registry) {
  const lag = new Histogram({
    name: "boxoffice_indexer_apply_lag_seconds",
    help: "From a transaction's commit in PostgreSQL to its documents being written to the search engine (searchable after the next refresh).",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const lastCommit = new Gauge({
    name: "boxoffice_indexer_last_applied_commit_seconds",
    help: "Commit time (Unix seconds) of the newest transaction applied to the search engine.",
    registers: [registry],
  });
  const transactions = new Counter({ name: "boxoffice_indexer_transactions_total", help: "Transactions applied.", registers: [registry] });
  const documents = new Counter({
    name: "boxoffice_indexer_documents_total",
    help: "Document writes by outcome: indexed, deleted, or stale (a newer version was already there).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const unmapped = new Counter({
    name: "boxoffice_indexer_unmapped_changes_total",
    help: "Changes no search document could be tied to (ticket deletes carry only the ticket id).",
    registers: [registry],
  });
  const failures = new Counter({ name: "boxoffice_indexer_batch_failures_total", help: "Batch attempts that failed and were retried.", registers: [registry] });
  const batchSeconds = new Histogram({
    name: "boxoffice_indexer_batch_duration_seconds",
    help: "Time to read and write one batch.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });

  return {
    batchApplied(committedAt: readonly Date[], outcome: WriteOutcome, unmappedChanges: number, seconds: number) {
      const now = Date.now();
      for (const at of committedAt) lag.observe(Math.max(0, now - at.getTime()) / 1000);
      const newest = committedAt[committedAt.length - 1];
      if (newest) lastCommit.set(newest.getTime() / 1000);
      transactions.inc(committedAt.length);
      documents.inc({ outcome: "indexed" }, outcome.indexed);
      documents.inc({ outcome: "deleted" }, outcome.deleted);
      documents.inc({ outcome: "stale" }, outcome.stale);
      unmapped.inc(unmappedChanges);
      batchSeconds.observe(seconds);
    },
    batchFailed() {
      failures.inc();
    },
  };
}

export type IndexerMetrics = ReturnType<typeof createIndexerMetrics>;
