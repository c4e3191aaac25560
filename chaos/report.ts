import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { INVARIANTS, type InvariantName, type Violation } from "./checker.js";
import type { FaultEvent, FaultKind, Operation } from "./history.js";
import { NETWORK_LABELS } from "./network-faults.js";
import { restartLabel } from "./redis-persistence.js";

export interface FaultRow {
  fault: string;
  injected: number;
  operations: number;
  ok: number;
  /** Told no (4xx): a seat taken, a card declined, a hold gone. */
  refused: number;
  /** No verdict: timeouts, dropped connections, 5xx. */
  noAnswer: number;
  /** Reserves answered without a hold (the lock store had no quorum): buyers bought directly. */
  degraded: number;
  /** How long answered requests took: what a fault costs buyers in delay. */
  p50Ms: number;
  p99Ms: number;
  violations: number;
}

/** The p-th percentile of ascending values, 0 for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const LABELS: Record<FaultKind, string> = {
  "kill-booking": "kill -9 booking replica",
  "restart-redis": restartLabel(undefined),
  "restart-edge": "kill -9 edge",
  "payment-faults": "payment provider errors and timeouts",
  "restart-postgres": "PostgreSQL crashed and restarted",
  "search-engine-down": "search engine down",
  "kill-indexer": "kill -9 indexer",
  ...NETWORK_LABELS,
};

/** A fault's row in the table: its kind, and for a Redis restart how the master kept its holds. */
export const labelOf = (fault: FaultEvent): string => (fault.kind === "restart-redis" ? restartLabel(fault.persistence) : LABELS[fault.kind]);

/** A fault's reach: from the kill until a few seconds after its target serves again. */
const AFTERMATH_MS = 3_000;

/** The latest fault whose reach covers `at`: a fault that starts ends the previous one's aftermath. */
export function faultAt(faults: FaultEvent[], at: number): FaultEvent | undefined {
  return faults.filter((f) => at >= f.startAt && at <= f.endAt + AFTERMATH_MS).sort((a, b) => b.startAt - a.startAt)[0];
}

/** What buyers saw under each kind of fault, and under none. */
export function faultTable(history: Operation[], faults: FaultEvent[], violations: Violation[]): FaultRow[] {
  const rows = new Map<string, FaultRow>();
  const took = new Map<string, number[]>();
  const row = (fault: string) => rows.get(fault) ?? rows.set(fault, { fault, injected: 0, operations: 0, ok: 0, refused: 0, noAnswer: 0, degraded: 0, p50Ms: 0, p99Ms: 0, violations: 0 }).get(fault)!;
  row("none (steady load)");
  for (const fault of faults) row(labelOf(fault)).injected += 1;
  for (const op of history) {
    const fault = faultAt(faults, op.invokeAt);
    const target = row(fault ? labelOf(fault) : "none (steady load)");
    target.operations += 1;
    if (op.outcome === "ok") target.ok += 1;
    else if (op.outcome === "fail") target.refused += 1;
    else target.noAnswer += 1;
    if (op.op === "reserve" && op.outcome === "ok" && op.held === false) target.degraded += 1;
    if (op.status !== 0) took.set(target.fault, [...(took.get(target.fault) ?? []), op.completeAt - op.invokeAt]);
  }
  for (const [fault, durations] of took) {
    const sorted = durations.sort((a, b) => a - b);
    Object.assign(rows.get(fault)!, { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) });
  }
  for (const violation of violations) {
    const last = violation.history[violation.history.length - 1];
    const fault = last ? faultAt(faults, last.invokeAt) : undefined;
    row(fault ? labelOf(fault) : "none (steady load)").violations += 1;
  }
  return [...rows.values()];
}

export function markdownTables(rows: FaultRow[], results: Record<InvariantName, Violation[]>): string {
  const faults = [
    "| fault | injected | operations | ok | refused (4xx) | no answer (timeout, 5xx) | reserves without a hold | answered in p50 / p99 (ms) | violations |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.fault} | ${r.injected || "–"} | ${r.operations} | ${r.ok} | ${r.refused} | ${r.noAnswer} | ${r.degraded} | ${r.p50Ms} / ${r.p99Ms} | ${r.violations} |`),
  ];
  const invariants = [
    "| invariant | result |",
    "|---|---|",
    ...(Object.keys(INVARIANTS) as InvariantName[]).map((name) => `| ${INVARIANTS[name]} | ${results[name].length === 0 ? "holds" : `**${results[name].length} violations**`} |`),
  ];
  return `${faults.join("\n")}\n\n${invariants.join("\n")}`;
}

/** Throughput per second (answered, by outcome) with the faults drawn as bands over it. */
export async function timelineSvg(history: Operation[], faults: FaultEvent[], startedAt: number): Promise<string> {
  const perSecond = new Map<string, number>();
  for (const op of history) {
    const second = Math.floor((op.completeAt - startedAt) / 1_000);
    const outcome = op.outcome === "ok" ? "ok" : op.outcome === "fail" ? "refused (4xx)" : "no answer";
    const key = `${second}|${outcome}`;
    perSecond.set(key, (perSecond.get(key) ?? 0) + 1);
  }
  const seconds = Math.max(1, ...history.map((op) => Math.floor((op.completeAt - startedAt) / 1_000)));
  const points = [];
  for (let second = 0; second <= seconds; second += 1) {
    for (const outcome of ["ok", "refused (4xx)", "no answer"]) points.push({ second, outcome, count: perSecond.get(`${second}|${outcome}`) ?? 0 });
  }
  const bands = faults.map((f) => ({ fault: labelOf(f), from: (f.startAt - startedAt) / 1_000, to: (f.endAt - startedAt) / 1_000 }));
  const spec: vegaLite.TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "Requests answered per second, with the faults injected",
    width: 640,
    height: 260,
    layer: [
      {
        data: { values: bands },
        mark: { type: "rect", opacity: 0.45 },
        encoding: {
          x: { field: "from", type: "quantitative" },
          x2: { field: "to" },
          color: { field: "fault", type: "nominal", title: "fault (from the kill until the target serves again)", scale: { scheme: "tableau20" }, legend: { orient: "bottom", columns: 2, labelLimit: 420, titleLimit: 480 } },
        },
      },
      {
        data: { values: points },
        mark: { type: "line", interpolate: "monotone" },
        encoding: {
          x: { field: "second", type: "quantitative", title: "seconds since the load began" },
          y: { field: "count", type: "quantitative", title: "requests answered per second" },
          color: { field: "outcome", type: "nominal", title: "answer", scale: { domain: ["ok", "refused (4xx)", "no answer"], range: ["#2e7d32", "#ef6c00", "#c62828"] }, legend: { orient: "right" } },
        },
      },
    ],
    resolve: { scale: { color: "independent" } },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}
