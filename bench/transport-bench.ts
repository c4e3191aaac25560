/**
 * The internal hop's cost per call: the empty RPC (grpc.health.v1 Check through every
 * service's standard interceptors) served by grpc-js (what the services run) and by
 * connect-node (what they ran before), driven from separate processes by ghz and by our own
 * harness with either client library. Concurrency sweep, warm-up first, server CPU per call
 * read from /proc. Writes docs/performance/transport.json.
 *
 *   npm run bench:transport                 BENCH_SECONDS=5 by default; CI runs BENCH_SECONDS=1
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadAverage } from "./bench-stats.js";
import { BENCH_OUT as OUT, REPO, runNodeChildJson, startNodeChild } from "./support/child-process.js";
import { runGhz, type LoadFigures } from "./support/ghz.js";
import { cpuDuring } from "./support/process-cpu.js";
import { printFigures, type FigureRow } from "./support/figure-table.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SWEEP = (process.env.BENCH_CONCURRENCY ?? "1,8,32,64").split(",").map(Number);
const HEALTH = { proto: "health/v1/health.proto", importPaths: ["node_modules/grpc-health-check/proto"], call: "grpc.health.v1.Health/Check" };

async function main() {
  const dataFile = join(REPO, ".services/bench-health-request.json");
  mkdirSync(join(REPO, ".services"), { recursive: true });
  writeFileSync(dataFile, JSON.stringify({ service: "" }));
  const rows: FigureRow[] = [];

  for (const server of ["grpc-js", "connect-node"] as const) {
    const child = await startNodeChild<{ port: number }>("bench/support/empty-rpc-server.ts", [server]);
    const address = `127.0.0.1:${child.hello.port}`;
    try {
      const ghz = (concurrency: number, durationSeconds = SECONDS) => runGhz({ ...HEALTH, address, dataFile, concurrency, durationSeconds });
      await ghz(16, Math.max(1, SECONDS / 2)); // warm-up: JIT, connection, pools
      for (const concurrency of SWEEP) {
        const { result, cpuMs } = await cpuDuring(child.pid, () => ghz(concurrency));
        rows.push(row(`ghz → ${server} server`, "empty RPC", concurrency, result, cpuMs));
      }
      for (const client of ["grpc-js", "connect-node"] as const) {
        const concurrency = 64;
        const { result, cpuMs } = await cpuDuring(child.pid, () =>
          runNodeChildJson<LoadFigures & { clientCpuMsPerCall: number }>("bench/support/rpc-load-client.ts", [address, client, String(concurrency), String(SECONDS)]),
        );
        rows.push({ ...row(`${client} client → ${server} server`, "empty RPC", concurrency, result, cpuMs), clientCpuMsPerCall: result.clientCpuMsPerCall });
      }
    } finally {
      await child.stop();
    }
  }

  printFigures(`Internal transport, empty unary RPC (${SECONDS}s a run, load ${loadAverage()})`, rows);
  const out = join(OUT, "transport.json");
  mkdirSync(OUT, { recursive: true });
  writeFileSync(out, JSON.stringify({ measuredAt: new Date().toISOString(), seconds: SECONDS, rows }, null, 2) + "\n");
  console.log(`\nwritten ${out}`);
}

function row(driver: string, rpc: string, concurrency: number, figures: LoadFigures & { count: number }, serverCpuMs: number): FigureRow {
  return { driver, rpc, concurrency, ...figures, serverCpuMsPerCall: serverCpuMs / Math.max(1, figures.count) };
}

await main();
