/**
 * Start-up time and resident memory of each process as an image runs it (compiled `dist/`, no tsx):
 * the four services alone against the real PostgreSQL and Redis, the indexer when a search engine
 * is configured, and the embedded default (`npm start`'s process) with its demo data — first start
 * (migrations + seeding into an empty PGlite) and a warm restart.
 *
 *   npm run build && source scripts/services/env.sh && npm run bench:footprint
 *
 * Ready means: an internal service's admin /readyz answers 200 (its grpc.health.v1 status is
 * SERVING); the edge's /healthz answers SERVING; the embedded default prints its banner.
 * Idle RSS is read from /proc after a few quiet seconds. Targets (issue 2): < 150 MB per service
 * idle, < 512 MB for the embedded default.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dropSlot } from "../services/indexer/cdc/replication-slot.js";
import { createTestDatabase } from "../test/support/real-services.js";
import { freePort } from "../test/support/spawned-service.js";

const root = resolve(import.meta.dirname, "..");
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000);
const SERVICE_TARGET_MB = 150;
const EMBEDDED_TARGET_MB = 512;

interface Measured {
  name: string;
  readyMs: number;
  rssMb: number;
  targetMb: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** As the image starts every process: with the tracing preload, which stays off without an OTLP endpoint. */
function launch(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", join(root, "dist/services/shared/tracing/register.js"), join(root, "dist", entry)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function until(ready: () => Promise<boolean>, child: ChildProcess, output: () => string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  throw new Error(`not ready after ${timeoutMs} ms:\n${output()}`);
}

async function httpOk(url: string, body?: RegExp): Promise<boolean> {
  const response = await fetch(url);
  if (!response.ok) return false;
  return body ? body.test(await response.text()) : true;
}

async function measure(
  name: string,
  entry: string,
  env: Record<string, string>,
  ready: (output: () => string) => Promise<boolean>,
  targetMb: number,
): Promise<Measured> {
  const t0 = performance.now();
  const { child, output } = launch(entry, env);
  try {
    await until(() => ready(output), child, output);
    const readyMs = performance.now() - t0;
    await new Promise((ok) => setTimeout(ok, SETTLE_MS));
    return { name, readyMs, rssMb: rssMb(child.pid!), targetMb };
  } finally {
    const exited = new Promise((ok) => child.once("exit", ok));
    child.kill("SIGTERM");
    await exited;
  }
}

async function main() {
  if (!existsSync(join(root, "dist/services/platform/main.js"))) throw new Error("run `npm run build` first");
  const results: Measured[] = [];
  const lockUrls = process.env.REDIS_LOCK_URLS;
  const slot = `footprint_${process.pid}`;

  if (process.env.DATABASE_URL && lockUrls) {
    // A migrated database of its own (on TEST_DATABASE_URL's server), dropped at the end.
    const database = await createTestDatabase();
    try {
      const common = { DATABASE_URL: database.url, REDIS_LOCK_URLS: lockUrls, AUTH_MODE: "dev" };
      for (const [service, portVar, adminVar] of [
        ["catalog", "CATALOG_PORT", "CATALOG_ADMIN_PORT"],
        ["search", "SEARCH_PORT", "SEARCH_ADMIN_PORT"],
        ["booking", "BOOKING_PORT", "BOOKING_ADMIN_PORT"],
      ] as const) {
        const [grpcPort, adminPort] = [await freePort(), await freePort()];
        results.push(
          await measure(
            service,
            `services/${service}/main.js`,
            { ...common, [portVar]: String(grpcPort), [adminVar]: String(adminPort) },
            () => httpOk(`http://127.0.0.1:${adminPort}/readyz`),
            SERVICE_TARGET_MB,
          ),
        );
      }
      const edgePort = await freePort();
      results.push(
        await measure(
          "edge",
          "services/edge/main.js",
          {
            PORT: String(edgePort),
            EDGE_ADMIN_PORT: "0",
            CATALOG_SERVICE_ADDR: "127.0.0.1:50051",
            SEARCH_SERVICE_ADDR: "127.0.0.1:50052",
            BOOKING_SERVICE_ADDR: "127.0.0.1:50053",
            AUTH_MODE: "dev",
          },
          () => httpOk(`http://127.0.0.1:${edgePort}/healthz`, /SERVING/),
          SERVICE_TARGET_MB,
        ),
      );
      if (process.env.SEARCH_URL) {
        const adminPort = await freePort();
        results.push(
          await measure(
            "indexer",
            "services/indexer/main.js",
            {
              ...common,
              SEARCH_URL: process.env.SEARCH_URL,
              INDEXER_ADMIN_PORT: String(adminPort),
              INDEXER_SLOT: slot,
              SEARCH_INDEX_ALIAS: `footprint-${process.pid}`,
            },
            () => httpOk(`http://127.0.0.1:${adminPort}/readyz`),
            SERVICE_TARGET_MB,
          ),
        );
      }
    } finally {
      if (process.env.SEARCH_URL) {
        await fetch(`${process.env.SEARCH_URL}/footprint-${process.pid}*`, { method: "DELETE" }).catch(() => undefined);
      }
      // The indexer's replication slot lives in that database and would block dropping it.
      await dropSlot(database.db, slot).catch(() => undefined);
      await database.drop();
    }
  } else {
    console.log("DATABASE_URL / REDIS_LOCK_URLS unset: measuring the embedded default only (source scripts/services/env.sh)");
  }

  const dataDir = mkdtempSync(join(tmpdir(), "boxoffice-footprint-"));
  try {
    for (const label of ["embedded default, first start (migrate + seed)", "embedded default, warm restart"]) {
      const ports = { PORT: await freePort(), ADMIN_PORT: await freePort(), CATALOG_PORT: await freePort(), SEARCH_PORT: await freePort(), BOOKING_PORT: await freePort(), QUEUE_PORT: await freePort() };
      results.push(
        await measure(
          label,
          "services/platform/main.js",
          { BOXOFFICE_DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) },
          async (output) => output().includes("boxoffice is running"),
          EMBEDDED_TARGET_MB,
        ),
      );
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(`\nprocess footprint (compiled dist/, idle RSS after ${SETTLE_MS / 1000} s)`);
  console.log(`${"process".padEnd(50)} ${"ready ms".padStart(9)} ${"RSS MB".padStart(8)} ${"target".padStart(7)} ${"of target".padStart(10)}`);
  for (const r of results) {
    console.log(
      `${r.name.padEnd(50)} ${r.readyMs.toFixed(0).padStart(9)} ${r.rssMb.toFixed(1).padStart(8)} ${String(r.targetMb).padStart(7)} ${`${((r.rssMb / r.targetMb) * 100).toFixed(0)} %`.padStart(10)}`,
    );
  }
}

await main();
