import { loadavg } from "node:os";

/** Latency samples in milliseconds → the figures every bench prints. */
export interface Summary {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export function summarize(samplesMs: number[], wallMs: number): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, perSecond: (sorted.length / wallMs) * 1000, p50: at(0.5), p99: at(0.99) };
}

/** Runs tasks with at most `limit` in flight, timing each; a task may name its outcome, which is counted. */
export async function timedPool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void | string>) {
  const samples: number[] = [];
  const outcomes: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const t0 = performance.now();
        const outcome = await task(item);
        samples.push(performance.now() - t0);
        if (typeof outcome === "string") outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }),
  );
  return { ...summarize(samples, performance.now() - started), outcomes };
}

export function printTable(title: string, rows: Array<[string, Summary | { perSecond: number; p50?: number; p99?: number; count?: number }]>) {
  console.log(`\n${title}`);
  console.log(`${"what".padEnd(52)} ${"ops/s".padStart(10)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)} ${"n".padStart(7)}`);
  for (const [name, s] of rows) {
    const fmt = (v: number | undefined, digits: number) => (v === undefined ? "-" : v.toFixed(digits));
    console.log(`${name.padEnd(52)} ${fmt(s.perSecond, 0).padStart(10)} ${fmt(s.p50, 2).padStart(9)} ${fmt(s.p99, 2).padStart(9)} ${String(s.count ?? "-").padStart(7)}`);
  }
}

/** The 1, 5 and 15 minute load averages: how busy the shared machine was, beside the figures. */
export const loadAverage = () => loadavg().map((load) => load.toFixed(1)).join(" ");
