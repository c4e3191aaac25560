/** One measured load: who drove what at which concurrency, and what it cost the server. */
export interface FigureRow {
  driver: string;
  rpc: string;
  concurrency: number;
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  meanMs?: number;
  statuses?: Record<string, number>;
  serverCpuMsPerCall?: number;
  clientCpuMsPerCall?: number;
  /** The row this one is compared against (same tool, same server), shown as a ratio. */
  reference?: string;
  ratio?: number;
}

const fmt = (value: number | undefined, digits: number) => (value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits));

export function printFigures(title: string, rows: readonly FigureRow[]) {
  console.log(`\n${title}`);
  const header = ["driver".padEnd(40), "rpc".padEnd(22), "conc".padStart(5), "ops/s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8), "srv cpu".padStart(8), "cli cpu".padStart(8), "n".padStart(7), "vs ref".padStart(7), " outcomes"];
  console.log(header.join(" "));
  for (const row of rows) {
    const outcomes = Object.entries(row.statuses ?? {})
      .map(([status, count]) => `${status}:${count}`)
      .join(" ");
    console.log(
      [
        row.driver.padEnd(40),
        row.rpc.padEnd(22),
        String(row.concurrency).padStart(5),
        fmt(row.perSecond, 0).padStart(8),
        (Number.isNaN(row.p50) && row.meanMs !== undefined ? `~${fmt(row.meanMs, 1)}` : fmt(row.p50, 2)).padStart(8),
        fmt(row.p99, 2).padStart(8),
        fmt(row.serverCpuMsPerCall, 3).padStart(8),
        fmt(row.clientCpuMsPerCall, 3).padStart(8),
        String(row.count).padStart(7),
        (row.ratio === undefined ? "-" : `${(row.ratio * 100).toFixed(0)}%`).padStart(7),
        ` ${outcomes}`,
      ].join(" "),
    );
  }
}
