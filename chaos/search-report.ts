import type { FaultEvent, Operation } from "./history.js";
import { faultAt, labelOf, percentile } from "./report.js";
import type { SearchEvidence } from "./search-checker.js";

export interface SearchRow {
  during: string;
  searches: number;
  engine: number;
  fallback: number;
  noAnswer: number;
  p50Ms: number;
  p99Ms: number;
}

/** What searching cost buyers under each kind of fault (its reach as in the fault table), and under none. */
export function searchRows(history: Operation[], faults: FaultEvent[]): SearchRow[] {
  const groups = new Map<string, Operation[]>([["none (steady load)", []]]);
  for (const op of history) {
    if (op.op !== "search") continue;
    const fault = faultAt(faults, op.invokeAt);
    const during = fault ? labelOf(fault) : "none (steady load)";
    groups.set(during, [...(groups.get(during) ?? []), op]);
  }
  return [...groups].map(([during, ops]) => {
    const latencies = ops.filter((op) => op.outcome === "ok").map((op) => op.completeAt - op.invokeAt).sort((a, b) => a - b);
    return {
      during,
      searches: ops.length,
      engine: ops.filter((op) => op.outcome === "ok" && op.backend === "opensearch").length,
      fallback: ops.filter((op) => op.outcome === "ok" && op.backend === "postgres").length,
      noAnswer: ops.filter((op) => op.outcome !== "ok").length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  });
}

/**
 * The search table and a line on each outage: how many searches it saw and who answered them,
 * how long after the engine was back it answered again (the breaker's reset), and how soon the
 * index matched the database once the load stopped.
 */
export function searchReport(history: Operation[], faults: FaultEvent[], evidence: SearchEvidence | undefined): string {
  const rows = searchRows(history, faults);
  const table = [
    "| searches during | searches | answered by the engine | answered by PostgreSQL (fallback) | no answer | p50 ms | p99 ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.during} | ${r.searches} | ${r.engine} | ${r.fallback} | ${r.noAnswer} | ${r.p50Ms} | ${r.p99Ms} |`),
  ];
  const lines: string[] = [];
  for (const outage of faults.filter((fault) => fault.kind === "search-engine-down")) {
    const within = history.filter((op) => op.op === "search" && op.invokeAt >= outage.startAt && op.invokeAt <= outage.endAt);
    const answered = within.filter((op) => op.outcome === "ok");
    const back = history.filter((op) => op.op === "search" && op.backend === "opensearch" && op.invokeAt > outage.endAt).sort((a, b) => a.invokeAt - b.invokeAt)[0];
    lines.push(
      `Search engine down for ${((outage.endAt - outage.startAt) / 1_000).toFixed(1)} s: ${within.length} searches sent meanwhile, ${answered.length} answered ` +
        `(${answered.filter((op) => op.backend === "postgres").length} by the PostgreSQL fallback); ` +
        (back ? `the engine answered again ${((back.invokeAt - outage.endAt) / 1_000).toFixed(1)} s after it was back.` : "the engine did not answer a search again before the load ended."),
    );
  }
  if (evidence) {
    lines.push(`The index was compared with the database ${(evidence.waitedMs / 1_000).toFixed(1)} s after the load stopped: ${evidence.database.length} events in the database, ${evidence.index.length} in the index, ${evidence.findable.filter((probe) => probe.found).length} found by a search of the engine for their name.`);
  }
  return `${table.join("\n")}\n\n${lines.join("\n")}`;
}
