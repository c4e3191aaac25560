/**
 * What tracing costs on a short call path: GET /events/search through the edge (HTTP server
 * span), its gRPC hop to search (client and server spans) and search's Redis cache hit (an
 * ioredis span), with tracing off (no OTLP endpoint), on with every request traced (always_on)
 * and on as the manifests run it (10% of new traces), spans exported over OTLP/HTTP to a sink in
 * this process. Both processes run as separate processes, as pods
 * would; autocannon drives the edge from a process of its own. Writes docs/performance/tracing.json.
 *
 *   npm run services:up && source scripts/services/env.sh && npm run bench:tracing
 *   BENCH_SECONDS=10 BENCH_CONCURRENCY=1,16 npm run bench:tracing
 *   BENCH_BASELINE_ROOT=../main npm run bench:tracing   # also a checkout from before tracing, with nothing to turn off
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { seedDemoData } from "../services/catalog/demo/demo-seeder.js";
import { createTestDatabase } from "../test/support/real-services.js";
import { freePort } from "../test/support/spawned-service.js";
import { loadAverage } from "./bench-stats.js";
import { BENCH_OUT as OUT, REPO, runNodeChildJson } from "./support/child-process.js";
import { printFigures, type FigureRow } from "./support/figure-table.js";
import type { LoadFigures } from "./support/ghz.js";
import { processCpuMs } from "./support/process-cpu.js";
import { startServiceProcess, waitHttpOk, waitServing } from "./support/service-process.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SWEEP = (process.env.BENCH_CONCURRENCY ?? "1,16").split(",").map(Number);
const WORK = join(REPO, ".services/bench-tracing");

/** Accepts OTLP exports and drops them: the collector's cost is not the services'. */
async function startOtlpSink(): Promise<{ url: string; exports: () => number; close(): Promise<void> }> {
  let count = 0;
  const server = createServer((request, response) => {
    request.resume().on("end", () => {
      count++;
      response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, exports: () => count, close: () => new Promise((ok) => server.close(() => ok())) };
}

interface Mode {
  name: string;
  root: string;
  env: Record<string, string>;
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  const database = await createTestDatabase({ poolMax: 5 });
  const sink = await startOtlpSink();
  const rows: FigureRow[] = [];
  try {
    await seedDemoData(database.db, { events: 20 });
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER: "always_on" };
    const modes: Mode[] = [
      ...(process.env.BENCH_BASELINE_ROOT ? [{ name: "before tracing (baseline checkout)", root: resolve(process.env.BENCH_BASELINE_ROOT), env: {} }] : []),
      { name: "tracing off", root: REPO, env: {} },
      { name: "tracing on (always_on)", root: REPO, env: on },
      // What the manifests run: one new trace in ten.
      { name: "tracing on (10% sampled)", root: REPO, env: { ...on, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1" } },
    ];
    const offRows = new Map<number, FigureRow>();
    for (const mode of modes) {
      const [searchPort, edgePort] = await Promise.all([freePort(), freePort()]);
      const search = startServiceProcess(
        "services/search/main.ts",
        // PostgreSQL full text behind the Redis query cache: after the first call every search is a cache hit.
        { ...mode.env, DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", SEARCH_PORT: String(searchPort), SEARCH_ADMIN_PORT: "0", SEARCH_CACHE_TTL_SECONDS: "3600" },
        mode.root,
      );
      const edge = startServiceProcess(
        "services/edge/main.ts",
        {
          ...mode.env,
          PORT: String(edgePort),
          EDGE_ADMIN_PORT: "0",
          SEARCH_SERVICE_ADDR: `127.0.0.1:${searchPort}`,
          CATALOG_SERVICE_ADDR: `127.0.0.1:${await freePort()}`,
          BOOKING_SERVICE_ADDR: `127.0.0.1:${await freePort()}`,
          EDGE_RATE_LIMIT_PER_IP: "100000000",
        },
        mode.root,
      );
      try {
        await waitServing(`127.0.0.1:${searchPort}`);
        const url = `http://127.0.0.1:${edgePort}`;
        await waitHttpOk(`${url}/healthz`);
        const load = (connections: number, seconds: number) => {
          const job = join(WORK, `job-${rows.length}.json`);
          writeFileSync(job, JSON.stringify({ url: `${url}/events/search?term=jazz`, method: "GET", headers: {}, connections, seconds }));
          return runNodeChildJson<LoadFigures & { statuses: Record<string, number> }>("bench/support/http-load-client.ts", [job]);
        };
        await load(16, Math.max(1, SECONDS / 2)); // warm-up: JIT, connections, the cache entry
        for (const concurrency of SWEEP) {
          const before = processCpuMs(edge.pid) + processCpuMs(search.pid);
          const result = await load(concurrency, SECONDS);
          const cpuMs = processCpuMs(edge.pid) + processCpuMs(search.pid) - before;
          const row: FigureRow = { driver: mode.name, rpc: "GET /events/search", concurrency, ...result, serverCpuMsPerCall: cpuMs / Math.max(1, result.count) };
          const off = offRows.get(concurrency);
          if (mode.name === "tracing off") offRows.set(concurrency, row);
          else if (off) Object.assign(row, { reference: off.driver, ratio: row.perSecond / off.perSecond });
          rows.push(row);
        }
      } finally {
        await Promise.all([edge.stop(), search.stop()]);
      }
    }
    // The baseline ran first: compare it too, now that "off" is known.
    for (const row of rows.filter((r) => r.driver.startsWith("before"))) {
      const off = offRows.get(row.concurrency)!;
      Object.assign(off, { reference: row.driver, ratio: off.perSecond / row.perSecond });
    }
  } finally {
    await sink.close();
    await database.drop();
  }
  if (sink.exports() === 0) throw new Error("tracing on exported nothing: the figures would not measure tracing");

  printFigures(`Tracing overhead, edge → search (cache hit), ${SECONDS}s a run, load ${loadAverage()}; srv cpu = edge + search ms per request`, rows);
  const out = join(OUT, "tracing.json");
  mkdirSync(OUT, { recursive: true });
  writeFileSync(out, JSON.stringify({ measuredAt: new Date().toISOString(), seconds: SECONDS, otlpExports: sink.exports(), rows }, null, 2) + "\n");
  console.log(`\nwritten ${out}`);
}

await main();
