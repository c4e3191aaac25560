import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { INVARIANTS, type InvariantName, type Violation } from "./checker.js";
import type { FaultEvent, FaultKind, Operation } from "./history.js";

export interface FaultRow {
  fault: string;
  injected: number;
  operations: number;
  ok: number;
  /** Told no (4xx): a seat taken, a card declined, a hold gone. */
  refused: number;
  /** No verdict: timeouts, dropped connections, 5xx. */
  noAnswer: number;
  violations: number;
}

export const LABELS: Record<FaultKind, string> = {
  "kill-booking": "kill -9 booking replica",
  "restart-redis": "Redis master killed, restarted empty",
  "restart-edge": "kill -9 edge",
  "payment-faults": "payment provider errors and timeouts",
  "restart-postgres": "PostgreSQL crashed and restarted",
  "search-engine-down": "search engine down",
  "kill-indexer": "kill -9 indexer",
};

/** A fault's reach: from the kill until a few seconds after its target serves again. */
const AFTERMATH_MS = 3_000;

/** The latest fault whose reach covers `at`: a fault that starts ends the previous one's aftermath. */
export function faultAt(faults: FaultEvent[], at: number): FaultEvent | undefined {
  return faults.filter((f) => at >= f.startAt && at <= f.endAt + AFTERMATH_MS).sort((a, b) => b.startAt - a.startAt)[0];
}

/** What buyers saw under each kind of fault, and under none. */
export function faultTable(history: Operation[], faults: FaultEvent[], violations: Violation[]): FaultRow[] {
  const rows = new Map<string, FaultRow>();
  const row = (fault: string) => rows.get(fault) ?? rows.set(fault, { fault, injected: 0, operations: 0, ok: 0, refused: 0, noAnswer: 0, violations: 0 }).get(fault)!;
  row("none (steady load)");
  for (const fault of faults) row(LABELS[fault.kind]).injected += 1;
  for (const op of history) {
    const fault = faultAt(faults, op.invokeAt);
    const target = row(fault ? LABELS[fault.kind] : "none (steady load)");
    target.operations += 1;
    if (op.outcome === "ok") target.ok += 1;
    else if (op.outcome === "fail") target.refused += 1;
    else target.noAnswer += 1;
  }
  for (const violation of violations) {
    const last = violation.history[violation.history.length - 1];
    const fault = last ? faultAt(faults, last.invokeAt) : undefined;
    row(fault ? LABELS[fault.kind] : "none (steady load)").violations += 1;
  }
  return [...rows.values()];
}

export function markdownTables(rows: FaultRow[], results: Record<InvariantName, Violation[]>): string {
  const faults = [
    "| fault | injected | operations | ok | refused (4xx) | no answer (timeout, 5xx) | violations |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.fault} | ${r.injected || "–"} | ${r.operations} | ${r.ok} | ${r.refused} | ${r.noAnswer} | ${r.violations} |`),
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
  const bands = faults.map((f) => ({ fault: LABELS[f.kind], from: (f.startAt - startedAt) / 1_000, to: (f.endAt - startedAt) / 1_000 }));
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
          color: { field: "fault", type: "nominal", title: "fault (from the kill until the target serves again)", scale: { scheme: "set2" }, legend: { orient: "bottom", columns: 2, labelLimit: 320, titleLimit: 480 } },
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
