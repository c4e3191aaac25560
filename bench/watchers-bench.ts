/**
 * Live seat maps at scale: N browsers watching one 2,400-seat event through the edge of the
 * embedded platform (`npm start`: every service in one process) while a writer reserves and
 * releases seats. The platform runs in a process of its own, the watchers and the writer in
 * another (bench/support/watchers-load-client.ts); this process probes the edge's /healthz
 * every 50 ms and reads the platform's RSS. For each N: health-check p99 while loaded (beside
 * the same probe with no watchers, from the same run), how late each change reached each
 * watcher (p50, p99; a change that never arrived counts as the slowest), RSS. Reports the
 * largest N whose health p99 stays under 100 ms with changes delivered within 1 s at p99.
 * Beside them: the health p99 while the watchers opened and while the writer ran, why probes
 * failed (timeout, connection error, or NOT_SERVING, with what the edge logged about its
 * dependencies then), how busy the load process's own event loop was (near 100%, its delays are
 * in the delivery figures) and the machine's load average (other work shares the 2 cores).
 *
 *   npm run bench:watchers
 *   BENCH_WATCHERS (250,500,1000,2000,5000)   BENCH_SECONDS (10: the writer's time per step)
 *   BENCH_OPEN_PER_SECOND (1000)   BENCH_CHANGES_PER_SECOND (10)
 *   BENCH_PROFILE=1: CPU profiles of the server (.services/profiles/platform or edge) and of the
 *     load process (.services/profiles/watchers-load-client); bench/support/profile-stalls.ts
 *     shows what ran in the stretches the event loop never idled.
 *   BENCH_EDGE_NODE_ARGS: Node flags for the edge process (services topology), to try a runtime
 *     setting, e.g. "--max-semi-space-size=64".
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
import { processCpuMs } from "./support/process-cpu.js";
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
  /** The edge's log lines about its dependencies (what turns /healthz to NOT_SERVING) since the last call. */
  takeDependencyEvents(): string[];
  stop(): Promise<unknown>;
}

/** Log lines of the edge's dependency monitor, "catalog is down" and back, as `08:12:03.4 dependency is down: catalog (…)`, by the time the edge logged them. */
function dependencyEvents() {
  let events: string[] = [];
  return {
    line(line: string) {
      if (!line.includes("dependency")) return;
      try {
        const record = JSON.parse(line) as { time?: number; msg?: string; dependency?: string; err?: { message?: string } };
        const at = new Date(record.time ?? Date.now()).toISOString().slice(11, 21);
        events.push(`${at} ${record.msg}: ${record.dependency}${record.err?.message ? ` (${record.err.message.slice(0, 120)})` : ""}`);
      } catch {
        // not a log record
      }
    },
    take() {
      const taken = events;
      events = [];
      return taken;
    },
  };
}

async function startEmbedded(): Promise<ServerUnderTest> {
  const [port, adminPort] = await Promise.all([freePort(), freePort()]);
  const events = dependencyEvents();
  const platform = startServiceProcess("services/platform/main.ts", {
    PORT: String(port),
    ADMIN_PORT: String(adminPort),
    // The internal services on free ports too: 50051–50054, their defaults, may be held by
    // another platform on the machine, and the platform then never comes up.
    CATALOG_PORT: "0",
    SEARCH_PORT: "0",
    BOOKING_PORT: "0",
    QUEUE_PORT: "0",
    BOXOFFICE_DATA_DIR: "memory",
    DEMO_EVENTS: "1",
    AUTH_MODE: "dev",
    AUTH_DEV_SECRET: AUTH_SECRET,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    ...CROWD_LIMITS,
  }, REPO, events.line);
  return { base: `http://127.0.0.1:${port}`, pid: platform.pid, takeDependencyEvents: events.take, stop: () => stopChild(platform.child) };
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
    nodeArgs: (service) => (service === "edge" ? [...profile, ...(process.env.BENCH_EDGE_NODE_ARGS ?? "").split(" ").filter(Boolean)] : []),
  });
  const events = dependencyEvents();
  const edge = platform.processes.edge!;
  let read = 0;
  return {
    base: `http://${platform.address("edge")}`,
    pid: edge.process.pid!,
    takeDependencyEvents() {
      const output = edge.output();
      const end = output.lastIndexOf("\n") + 1;
      for (const line of output.slice(read, end).split("\n")) events.line(line);
      read = Math.max(read, end);
      return events.take();
    },
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
  /** p99 of the probes sent while the watchers opened, and after (the writer's changes). */
  healthP99OpeningMs: number;
  healthP99ChangingMs: number;
  healthFailures: number;
  healthFailureKinds: { timeout: number; error: number; notServing: number };
  /** What the edge logged about its dependencies during the step (why /healthz said NOT_SERVING). */
  dependencyEvents: string[];
  deliveryP50Ms: number | null;
  deliveryP99Ms: number | null;
  changes: number;
  delivered: number;
  expected: number;
  resyncs: number;
  rssMb: number;
  /** The load process's event loop, busy share while the writer ran. */
  clientLoopBusy: number;
  /** The machine's load average (1, 5, 15 min) when the step ended: other work shares the 2 cores. */
  loadAverage: string;
  /**
   * The server process's CPU time (user + system, from /proc) while the watchers opened, per
   * watcher, and after, per 1,000 deliveries: what the work costs, whatever else the machine runs.
   */
  serverCpuMsPerOpen: number;
  serverCpuMsPer1000Deliveries: number;
  passed: boolean;
  errors: string[];
}

/** GET /healthz every 50 ms on one kept-alive connection, as a kubelet's probe would, until stopped. */
function probeHealth(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  /** When each probe was sent, to split the step into its opening and its changes. */
  const startedAt: number[] = [];
  let failures = 0;
  /** Why probes failed: no answer within 5 s, a connection error, an answer other than 200 SERVING. */
  const failureKinds = { timeout: 0, error: 0, notServing: 0 };
  let running = true;
  const done = (async () => {
    while (running) {
      const t0 = performance.now();
      const outcome = await new Promise<"ok" | keyof typeof failureKinds>((settle) => {
        const call = request(url, { agent, timeout: 5_000 }, (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          response.on("end", () => settle(response.statusCode === 200 && body.includes("SERVING") && !body.includes("NOT_SERVING") ? "ok" : "notServing"));
        });
        let timedOut = false;
        call.on("timeout", () => {
          timedOut = true;
          call.destroy(new Error("timeout"));
        });
        call.on("error", () => settle(timedOut ? "timeout" : "error"));
        call.end();
      });
      samples.push(performance.now() - t0);
      startedAt.push(t0);
      if (outcome !== "ok") {
        failures += 1;
        failureKinds[outcome] += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    /** The figures; with `splitAt`, also the p99 of the probes sent before it (the opening) and after (the changes). */
    async stop(splitAt?: number) {
      running = false;
      await done;
      agent.destroy();
      const quantile = (values: number[], q: number) => {
        const sorted = [...values].sort((a, b) => a - b);
        return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
      };
      const before = samples.filter((_, i) => splitAt !== undefined && startedAt[i]! < splitAt);
      const after = samples.filter((_, i) => splitAt !== undefined && startedAt[i]! >= splitAt);
      return {
        p50: quantile(samples, 0.5),
        p99: quantile(samples, 0.99),
        max: Math.max(...samples),
        p99Opening: quantile(before, 0.99),
        p99Changing: quantile(after, 0.99),
        failures,
        failureKinds,
        count: samples.length,
      };
    },
  };
}

async function waitHealthServing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await fetch(url).then((response) => response.text(), () => "");
    if (body.includes('"SERVING"')) return;
    if (Date.now() > deadline) throw new Error(`${url} did not say SERVING within ${timeoutMs} ms (last: ${body})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The largest resident set the process had while this ran, sampled every 250 ms, in MB. */
function sampleRss(pid: number) {
  let peak = 0;
  const read = () => {
    let status = "";
    try {
      status = readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      return; // the process has gone (the run failed): its figures are what was read before
    }
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
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
  // BENCH_PROFILE=1: the load process too, to tell whether it kept up (its loop's busy share is in its figures either way).
  const profile = process.env.BENCH_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${REPO}/.services/profiles/watchers-load-client`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "bench/support/watchers-load-client.ts", file], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
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
    // /healthz answers 200 as soon as the edge listens, and says NOT_SERVING until its dependency
    // probes have seen catalog and search answer (every 5 s): the probe below counts that as a
    // failure, so the run starts once it says SERVING.
    const waitedFrom = performance.now();
    await waitHealthServing(`${base}/healthz`, 60_000);
    const startup = server.takeDependencyEvents();
    console.log(`/healthz said SERVING ${((performance.now() - waitedFrom) / 1000).toFixed(1)} s after it first answered 200${startup.length > 0 ? `; at start-up the edge said: ${startup.join("; ")}` : ""}`);
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
    const before = loadAverage();
    console.log(`event ${eventId}: ${ticketIds.length} seats; load average ${before} before the run`);

    console.log(`reference window from ${new Date().toISOString().slice(11, 21)}`);
    server.takeDependencyEvents();
    const idle = probeHealth(`${base}/healthz`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, Math.max(2_000, SECONDS * 1000)));
    const reference = await idle.stop();
    const referenceEvents = server.takeDependencyEvents();
    console.log(
      `health with no watchers: p50 ${reference.p50.toFixed(1)} ms, p99 ${reference.p99.toFixed(1)} ms (${reference.count} probes, ${reference.failures} failed: ${JSON.stringify(reference.failureKinds)})` +
        (referenceEvents.length > 0 ? `; the edge said: ${referenceEvents.join("; ")}` : ""),
    );

    for (const watchers of STEPS) {
      console.log(`step of ${watchers} watchers from ${new Date().toISOString().slice(11, 21)}`);
      const health = probeHealth(`${base}/healthz`);
      const rss = sampleRss(server.pid);
      let openedAt = 0;
      const cpuAtStart = processCpuMs(server.pid);
      let cpuAtOpened = cpuAtStart;
      const result = await runLoad(
        { base, eventId, watchers, openPerSecond: OPEN_PER_SECOND, seconds: SECONDS, changesPerSecond: CHANGES_PER_SECOND, ticketIds, buyerToken },
        () => {
          openedAt = performance.now();
          cpuAtOpened = processCpuMs(server.pid);
        },
      );
      const cpuAtEnd = processCpuMs(server.pid);
      const probed = await health.stop(openedAt);
      const rssMb = rss();
      const delivery99 = result.deliveryP99Ms ?? Number.POSITIVE_INFINITY;
      const passed = result.opened === watchers && result.failed === 0 && probed.failures === 0 && probed.p99 < HEALTH_P99_MS && delivery99 < DELIVERY_P99_MS && result.changes > 0;
      steps.push({
        watchers,
        opened: result.opened,
        openSeconds: result.openSeconds,
        healthP50Ms: probed.p50,
        healthP99Ms: probed.p99,
        healthMaxMs: probed.max,
        healthP99OpeningMs: probed.p99Opening,
        healthP99ChangingMs: probed.p99Changing,
        healthFailures: probed.failures,
        healthFailureKinds: probed.failureKinds,
        dependencyEvents: server.takeDependencyEvents(),
        deliveryP50Ms: result.deliveryP50Ms,
        deliveryP99Ms: result.deliveryP99Ms,
        changes: result.changes,
        delivered: result.delivered,
        expected: result.expected,
        resyncs: result.resyncs,
        rssMb,
        clientLoopBusy: result.clientLoopBusy,
        loadAverage: loadAverage(),
        serverCpuMsPerOpen: (cpuAtOpened - cpuAtStart) / Math.max(1, result.opened),
        serverCpuMsPer1000Deliveries: ((cpuAtEnd - cpuAtOpened) / Math.max(1, result.delivered)) * 1000,
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
      "| watchers | opened (s) | health p50 / p99 / max ms | health p99 opening / changes ms | health failures | change delivery p50 / p99 ms | deliveries | resyncs | server RSS MB | server CPU ms per open / per 1,000 deliveries | load process busy | load average | meets both |",
      "|---:|---:|---|---|---:|---|---:|---:|---:|---|---:|---:|---|",
      `| 0 | – | ${ms(reference.p50)} / ${ms(reference.p99)} / ${ms(reference.max)} | – | ${reference.failures} | – | – | – | – | – | – | ${before.split(" ")[0]} | reference |`,
      ...steps.map(
        (s) =>
          `| ${s.watchers.toLocaleString("en")} | ${s.openSeconds.toFixed(1)} | ${ms(s.healthP50Ms)} / ${ms(s.healthP99Ms)} / ${ms(s.healthMaxMs)} | ${ms(s.healthP99OpeningMs)} / ${ms(s.healthP99ChangingMs)} | ${s.healthFailures} | ${ms(s.deliveryP50Ms)} / ${ms(s.deliveryP99Ms)} | ${s.delivered.toLocaleString("en")} of ${s.expected.toLocaleString("en")} | ${s.resyncs} | ${s.rssMb.toFixed(0)} | ${s.serverCpuMsPerOpen.toFixed(2)} / ${s.serverCpuMsPer1000Deliveries.toFixed(0)} | ${(s.clientLoopBusy * 100).toFixed(0)}% | ${s.loadAverage.split(" ")[0]} | ${s.passed ? "yes" : "no"} |`,
      ),
    ].join("\n");
    const after = loadAverage();
    console.log(`\nWatchers of one 2,400-seat event, ${TOPOLOGY} (load average ${after} after the run)\n${table}\n\nlargest N meeting both: ${best.toLocaleString("en")}`);
    const measuredAt = new Date().toISOString();
    const settings = { seconds: SECONDS, openPerSecond: OPEN_PER_SECOND, changesPerSecond: CHANGES_PER_SECOND, healthP99Ms: HEALTH_P99_MS, deliveryP99Ms: DELIVERY_P99_MS };
    mkdirSync(BENCH_OUT, { recursive: true });
    const jsonName = TOPOLOGY === "services" ? "watchers-services.json" : "watchers.json";
    writeFileSync(join(BENCH_OUT, jsonName), `${JSON.stringify({ measuredAt, settings, loadAverageBefore: before, loadAverageAfter: after, reference: { ...reference, dependencyEvents: referenceEvents }, steps, largestPassing: best }, null, 2)}\n`);
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
          `\`${services ? "BENCH_TOPOLOGY=services " : ""}npm run bench:watchers\` (bench/watchers-bench.ts), ${measuredAt.slice(0, 16).replace("T", " ")} UTC, the 2-core machine, load average ${before} before and ${after} after the run (the table's column: the 1-minute figure as each step ended; other work shares the cores). ` +
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
