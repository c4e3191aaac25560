/**
 * Live seat maps at scale: N browsers watching one 2,400-seat event through the edge of the
 * embedded platform (`npm start`: every service in one process) while a writer reserves and
 * releases seats. The platform runs in a process of its own, the watchers and the writer in
 * another (bench/support/watchers-load-client.ts); this process probes the edge's /healthz
 * every 50 ms and reads the platform's RSS. For each N: health-check p99 while loaded (beside
 * the same probe with no watchers, from the same run), how late each change reached each
 * watcher (p50, p99; a change that never arrived counts as the slowest), RSS. Reports the
 * largest N whose health p99 stays under 100 ms with changes delivered within 1 s at p99.
 *
 *   npm run bench:watchers
 *   BENCH_WATCHERS (250,500,1000,2000,5000)   BENCH_SECONDS (10: the writer's time per step)
 *   BENCH_OPEN_PER_SECOND (1000)   BENCH_CHANGES_PER_SECOND (10)   BENCH_PROFILE=1 (CPU profile)
 *   BENCH_TOPOLOGY (embedded | services): `services` runs catalog, search, booking and the edge
 *     each as its own process on PostgreSQL and Redis, as pods run them; the figures are then the
 *     edge process's (its health, its RSS), without PGlite's queries on the same thread.
 *
 * Writes BENCH_OUT/watchers.json and, for the published run, docs/performance-watchers.md.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
import { eventInput, venueInput } from "../test/catalog/catalog-fixture.js";
import { withBearer } from "../test/edge/connect-test-clients.js";
import { createTestDatabase } from "../test/support/real-services.js";
import { spawnPlatform } from "../test/support/spawned-platform.js";
import { freePort } from "../test/support/spawned-service.js";
import { loadAverage } from "./bench-stats.js";
import { runBench } from "./run-bench.js";
import { BENCH_OUT, REPO, stopChild } from "./support/child-process.js";
import { seatMap } from "./support/seat-map.js";
import { startServiceProcess, waitHttpOk } from "./support/service-process.js";
import type { WatchersJob, WatchersResult } from "./support/watchers-load-client.js";

const STEPS = (process.env.BENCH_WATCHERS ?? "250,500,1000,2000,5000").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OPEN_PER_SECOND = Number(process.env.BENCH_OPEN_PER_SECOND ?? 1_000);
const CHANGES_PER_SECOND = Number(process.env.BENCH_CHANGES_PER_SECOND ?? 10);
const HEALTH_P99_MS = 100;
const DELIVERY_P99_MS = 1_000;
const AUTH_SECRET = "bench-watchers-secret-0123456789";
const TOPOLOGY = process.env.BENCH_TOPOLOGY === "services" ? "services" : "embedded";
// One load process on one address stands for thousands of browsers.
const CROWD_LIMITS = { EDGE_RATE_LIMIT_PER_IP: "1000000000", EDGE_RATE_LIMIT_PER_USER: "1000000000", EDGE_STREAMS_PER_IP: "1000000" };

/** What the steps measure: the edge's address, the process whose RSS counts, and how to stop it all. */
interface ServerUnderTest {
  base: string;
  pid: number;
  stop(): Promise<unknown>;
}

async function startEmbedded(): Promise<ServerUnderTest> {
  const [port, adminPort] = await Promise.all([freePort(), freePort()]);
  const platform = startServiceProcess("services/platform/main.ts", {
    PORT: String(port),
    ADMIN_PORT: String(adminPort),
    BOXOFFICE_DATA_DIR: "memory",
    DEMO_EVENTS: "1",
    AUTH_MODE: "dev",
    AUTH_DEV_SECRET: AUTH_SECRET,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    ...CROWD_LIMITS,
  });
  return { base: `http://127.0.0.1:${port}`, pid: platform.pid, stop: () => stopChild(platform.child) };
}

async function startServices(): Promise<ServerUnderTest> {
  const database = await createTestDatabase();
  const log = { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn" };
  // BENCH_PROFILE=1: the edge, where the streams are relayed, writes a CPU profile when it stops.
  const profile = process.env.BENCH_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${REPO}/.services/profiles/edge`] : [];
  const platform = await spawnPlatform({
    databaseUrl: database.url,
    devSecret: AUTH_SECRET,
    extraEnv: (service) => (service === "edge" ? { ...log, ...CROWD_LIMITS } : log),
    nodeArgs: (service) => (service === "edge" ? profile : []),
  });
  return {
    base: `http://${platform.address("edge")}`,
    pid: platform.processes.edge!.process.pid!,
    async stop() {
      await platform.stop();
      await database.drop();
    },
  };
}
const WORK = join(REPO, ".services/bench-watchers");

interface Step {
  watchers: number;
  opened: number;
  openSeconds: number;
  healthP50Ms: number;
  healthP99Ms: number;
  healthMaxMs: number;
  healthFailures: number;
  deliveryP50Ms: number | null;
  deliveryP99Ms: number | null;
  changes: number;
  delivered: number;
  expected: number;
  resyncs: number;
  rssMb: number;
  passed: boolean;
  errors: string[];
}

/** GET /healthz every 50 ms on one kept-alive connection, as a kubelet's probe would, until stopped. */
function probeHealth(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  let failures = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const t0 = performance.now();
      const ok = await new Promise<boolean>((settle) => {
        const call = request(url, { agent, timeout: 5_000 }, (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          response.on("end", () => settle(response.statusCode === 200 && body.includes("SERVING") && !body.includes("NOT_SERVING")));
        });
        call.on("timeout", () => call.destroy(new Error("timeout")));
        call.on("error", () => settle(false));
        call.end();
      });
      samples.push(performance.now() - t0);
      if (!ok) failures += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      agent.destroy();
      const sorted = samples.sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
      return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN, failures, count: sorted.length };
    },
  };
}

/** The largest resident set the process had while this ran, sampled every 250 ms, in MB. */
function sampleRss(pid: number) {
  let peak = 0;
  const read = () => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    peak = Math.max(peak, Number(match?.[1] ?? 0) / 1024);
  };
  read();
  const timer = setInterval(read, 250);
  return () => {
    clearInterval(timer);
    read();
    return peak;
  };
}

/** Runs the load process for one step; calls onOpened when every watcher has its snapshot. */
function runLoad(job: WatchersJob, onOpened: () => void): Promise<WatchersResult> {
  const file = join(WORK, `job-${job.watchers}.json`);
  writeFileSync(file, JSON.stringify(job));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/support/watchers-load-client.ts", file], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (!line.startsWith("{")) return;
    lines.push(line);
    if (lines.length === 1) onOpened();
  });
  return new Promise((resolvePromise, reject) => {
    child.once("close", (code) => {
      const last = lines.at(-1);
      if (code !== 0 || lines.length < 2 || !last) return reject(new Error(`the load process exited (${code}) without its figures`));
      resolvePromise(JSON.parse(last) as WatchersResult);
    });
  });
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  const server = TOPOLOGY === "services" ? await startServices() : await startEmbedded();
  const { base } = server;
  const steps: Step[] = [];
  try {
    await waitHttpOk(`${base}/healthz`, 120_000);
    const tokenOf = async (userId: string, roles: string[] = []) => {
      const response = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, roles }) });
      return ((await response.json()) as { token: string }).token;
    };
    const admin = createClient(CatalogService, createConnectTransport({ baseUrl: base, httpVersion: "1.1", interceptors: [withBearer(await tokenOf("bench-admin", ["admin"]))] }));
    const sections = seatMap(4, 20, 30);
    const { venue } = await admin.createVenue({ venue: venueInput("Bench Arena", sections) });
    const prices = Object.fromEntries(sections.map((section, index) => [section.code, 4_000 + index * 500]));
    const eventId = (await admin.createEvent({ event: eventInput(venue!.id, prices) })).event!.id;
    const ticketIds = (await admin.getEvent({ eventId })).tickets.map((ticket) => ticket.id);
    const buyerToken = await tokenOf("bench-writer");
    console.log(`event ${eventId}: ${ticketIds.length} seats; load average ${loadAverage()} before the run`);

    const idle = probeHealth(`${base}/healthz`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, Math.max(2_000, SECONDS * 1000)));
    const reference = await idle.stop();
    console.log(`health with no watchers: p50 ${reference.p50.toFixed(1)} ms, p99 ${reference.p99.toFixed(1)} ms (${reference.count} probes)`);

    for (const watchers of STEPS) {
      const health = probeHealth(`${base}/healthz`);
      const rss = sampleRss(server.pid);
      let openedAt = 0;
      const result = await runLoad(
        { base, eventId, watchers, openPerSecond: OPEN_PER_SECOND, seconds: SECONDS, changesPerSecond: CHANGES_PER_SECOND, ticketIds, buyerToken },
        () => (openedAt = performance.now()),
      );
      const probed = await health.stop();
      const rssMb = rss();
      void openedAt;
      const delivery99 = result.deliveryP99Ms ?? Number.POSITIVE_INFINITY;
      const passed = result.opened === watchers && result.failed === 0 && probed.failures === 0 && probed.p99 < HEALTH_P99_MS && delivery99 < DELIVERY_P99_MS && result.changes > 0;
      steps.push({
        watchers,
        opened: result.opened,
        openSeconds: result.openSeconds,
        healthP50Ms: probed.p50,
        healthP99Ms: probed.p99,
        healthMaxMs: probed.max,
        healthFailures: probed.failures,
        deliveryP50Ms: result.deliveryP50Ms,
        deliveryP99Ms: result.deliveryP99Ms,
        changes: result.changes,
        delivered: result.delivered,
        expected: result.expected,
        resyncs: result.resyncs,
        rssMb,
        passed,
        errors: result.errors,
      });
      console.log(JSON.stringify(steps.at(-1)));
      // Let the closed streams go before the next step.
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 1_000));
    }

    const best = steps.filter((step) => step.passed).reduce((most, step) => Math.max(most, step.watchers), 0);
    const ms = (value: number | null) => (value === null || !Number.isFinite(value) ? "never" : value.toFixed(value < 10 ? 1 : 0));
    const table = [
      "| watchers | opened (s) | health p50 / p99 / max ms | health failures | change delivery p50 / p99 ms | deliveries | resyncs | server RSS MB | meets both |",
      "|---:|---:|---|---:|---|---:|---:|---:|---|",
      `| 0 | – | ${ms(reference.p50)} / ${ms(reference.p99)} / ${ms(reference.max)} | ${reference.failures} | – | – | – | – | reference |`,
      ...steps.map(
        (s) =>
          `| ${s.watchers.toLocaleString("en")} | ${s.openSeconds.toFixed(1)} | ${ms(s.healthP50Ms)} / ${ms(s.healthP99Ms)} / ${ms(s.healthMaxMs)} | ${s.healthFailures} | ${ms(s.deliveryP50Ms)} / ${ms(s.deliveryP99Ms)} | ${s.delivered.toLocaleString("en")} of ${s.expected.toLocaleString("en")} | ${s.resyncs} | ${s.rssMb.toFixed(0)} | ${s.passed ? "yes" : "no"} |`,
      ),
    ].join("\n");
    const after = loadAverage();
    console.log(`\nWatchers of one 2,400-seat event, ${TOPOLOGY} (load average ${after} after the run)\n${table}\n\nlargest N meeting both: ${best.toLocaleString("en")}`);
    const measuredAt = new Date().toISOString();
    const settings = { seconds: SECONDS, openPerSecond: OPEN_PER_SECOND, changesPerSecond: CHANGES_PER_SECOND, healthP99Ms: HEALTH_P99_MS, deliveryP99Ms: DELIVERY_P99_MS };
    mkdirSync(BENCH_OUT, { recursive: true });
    const jsonName = TOPOLOGY === "services" ? "watchers-services.json" : "watchers.json";
    writeFileSync(join(BENCH_OUT, jsonName), `${JSON.stringify({ measuredAt, settings, loadAverageAfter: after, reference, steps, largestPassing: best }, null, 2)}\n`);
    // CI's short runs (BENCH_OUT elsewhere) leave the published figures alone.
    if (BENCH_OUT === resolve(REPO, "docs/performance")) {
      const services = TOPOLOGY === "services";
      const setup = services
        ? "Catalog, search, booking and the edge as separate processes (as in the cluster) on PostgreSQL and the three Redis; the health and memory figures are the edge process's, where every watcher's stream is relayed. "
        : "The embedded platform (every service in one process, PGlite) in a process of its own. ";
      writeFileSync(
        join(REPO, services ? "docs/performance-watchers-services.md" : "docs/performance-watchers.md"),
        [
          `# Live seat maps: watchers of one event${services ? ", services as separate processes" : ""}`,
          "",
          `\`${services ? "BENCH_TOPOLOGY=services " : ""}npm run bench:watchers\` (bench/watchers-bench.ts), ${measuredAt.slice(0, 16).replace("T", " ")} UTC, the 2-core machine, load average ${after} after the run. ` +
            setup +
            `N watchers of one 2,400-seat event through the edge (Connect, binary, HTTP/1.1, as the web app through the ingress) ` +
            `opened at ${OPEN_PER_SECOND.toLocaleString("en")} a second from a second process, which then reserves and releases seats through the edge, ${CHANGES_PER_SECOND} changes a second for ${SECONDS} s. ` +
            "This process probes `GET /healthz` every 50 ms through the whole step (opening included); a change's delay runs from the writer sending it to a watcher reading it, and a delivery that never came counts as the slowest. " +
            `Target: health p99 under ${HEALTH_P99_MS} ms and delivery p99 under ${DELIVERY_P99_MS / 1000} s. **Largest N meeting both: ${best.toLocaleString("en")}.** ` +
            `Raw figures: [\`performance/${jsonName}\`](performance/${jsonName}).`,
          "",
          table,
          "",
        ].join("\n"),
      );
    }
  } finally {
    await server.stop();
  }
}

runBench(main);
