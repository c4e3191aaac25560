/**
 * A fault-injection run with an invariant checker (issue 15; docs/reliability.md).
 *   npm run chaos                     # the full schedule; rewrites docs/reliability.md's tables and timeline
 *   npm run chaos -- --short          # CI's schedule, about two minutes on a quiet machine; writes only under .services/chaos
 *   npm run chaos -- --seed 7         # replays a run: the same buyers' choices and the same faults
 *   npm run chaos -- --redis-persistence none-immediate --faults redis-partition,restart-redis
 *                                     # the persistence comparison (docs/reliability.md)
 * Exits non-zero when an invariant is violated or recovery does not settle, printing the
 * operations around each violation. Needs PostgreSQL's server binaries (a cluster of the run's
 * own, which the nemesis crashes; --postgres shared: a fresh database on the shared server, never
 * restarted), Debian's redis-server (three masters of the run's own, which the nemesis kills),
 * Toxiproxy (bash scripts/toxiproxy/install.sh: one server of the run's own in front of
 * PostgreSQL, each master and the search engine) and for search the shared engine on SEARCH_URL
 * (an index alias of the run's own, reached through its Toxiproxy link, which the nemesis
 * refuses; the engine itself is never stopped: --search postgres leaves it out).
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO } from "../bench/support/child-process.js";
import { check, formatViolation, holdIntervals, INVARIANTS, type InvariantName } from "./checker.js";
import { readLines, type FaultKind, type Operation } from "./history.js";
import type { LoadSettings } from "./load-client.js";
import { BASE_FAULTS, planFaults, runNemesis, SEARCH_FAULTS } from "./nemesis.js";
import { NETWORK_FAULTS } from "./network-faults.js";
import type { PartitionStyle } from "./network.js";
import { parseRedisPersistence } from "./redis-persistence.js";
import { faultTable, markdownTables, timelineSvg } from "./report.js";
import { readSearchEvidence } from "./search-evidence.js";
import { searchReport } from "./search-report.js";
import { readSnapshot, untilSettled } from "./snapshot.js";
import { EVENT_NAME, startTopology } from "./topology.js";

const { values } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    seed: { type: "string" },
    seconds: { type: "string" },
    buyers: { type: "string" },
    publish: { type: "boolean" },
    /** own: a PostgreSQL cluster of the run's own, which the nemesis crashes too; shared: a fresh database on TEST_DATABASE_URL's server, never restarted. */
    postgres: { type: "string", default: "own" },
    /** engine: the indexer and the search engine (SEARCH_URL, behind its Toxiproxy link, which the nemesis refuses); postgres: search on PostgreSQL full text alone, no search faults. */
    search: { type: "string", default: "engine" },
    /** aof-always (what the project ships), none-delayed or none-immediate: chaos/redis-persistence.ts. */
    "redis-persistence": { type: "string", default: "aof-always" },
    /** Only these fault kinds, comma-separated (default: every kind the topology allows). */
    faults: { type: "string" },
    "hold-ttl": { type: "string" },
    /** Every partition of this kind (held, cut, refused: chaos/network.ts) instead of one drawn from the seed. */
    "partition-style": { type: "string" },
    tickets: { type: "string" },
  },
});
const short = values.short!;
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 1_000_000);
const schedule = short
  ? { seconds: 70, buyers: 8, tickets: 1_000, spacingMs: 6_500, holdTtlSeconds: 12 }
  : { seconds: 180, buyers: 16, tickets: 5_000, spacingMs: 12_000, holdTtlSeconds: 15 };
const holdTtlSeconds = Number(values["hold-ttl"] ?? schedule.holdTtlSeconds);
const tickets = Number(values.tickets ?? schedule.tickets);
const redisPersistence = parseRedisPersistence(values["redis-persistence"]!);
const buyers = Number(values.buyers ?? schedule.buyers);
// Only the full schedule with the shipped settings rewrites docs/reliability.md by default.
const publish = values.publish ?? (!short && !values.faults && values["redis-persistence"] === "aof-always");
const recoveryGraceSeconds = 8;
if (values.postgres !== "own" && values.postgres !== "shared") throw new Error(`--postgres must be own or shared, not ${values.postgres}`);
const ownPostgres = values.postgres === "own";
if (values.search !== "engine" && values.search !== "postgres") throw new Error(`--search must be engine or postgres, not ${values.search}`);
const searchEngineUrl = values.search === "engine" ? (process.env.SEARCH_URL ?? "http://127.0.0.1:9200") : undefined;
const allowed: FaultKind[] = [...BASE_FAULTS, ...(ownPostgres ? (["restart-postgres"] as FaultKind[]) : []), ...NETWORK_FAULTS, ...(searchEngineUrl ? SEARCH_FAULTS[short ? "short" : "full"] : [])];
const kinds = values.faults ? (values.faults.split(",").map((kind) => kind.trim()) as FaultKind[]) : allowed;
for (const kind of kinds) if (!allowed.includes(kind)) throw new Error(`--faults: ${kind} is not one of ${allowed.join(", ")}`);
// Long enough for every kind once (the first fault comes after 8 s, the last ends 6 s before the load does).
const durationMs = values.seconds ? Number(values.seconds) * 1_000 : Math.max(schedule.seconds * 1_000, 8_000 + (kinds.length - 1) * schedule.spacingMs + 6_000);

const runDir = join(REPO, ".services/chaos", `${new Date().toISOString().replace(/[:.]/g, "-")}-seed${seed}`);
mkdirSync(runDir, { recursive: true });
const historyFile = join(runDir, "history.jsonl");
const faultsFile = join(runDir, "faults.jsonl");
const log = (line: string) => console.log(`[chaos +${((Date.now() - t0) / 1_000).toFixed(1)}s] ${line}`);
const t0 = Date.now();

// Figures from a shared machine mean little without how busy it was.
const loadAverage = loadavg()[0]!.toFixed(1);
log(`seed ${seed}, ${durationMs / 1_000} s of load by ${buyers} buyers, hold TTL ${holdTtlSeconds} s, Redis persistence ${redisPersistence}; load average ${loadAverage}; run folder ${runDir}`);
const topology = await startTopology({ runDir, tickets, holdTtlSeconds, paymentLatencyMs: 40, recoveryGraceSeconds, ownPostgres, redisPersistence, ...(searchEngineUrl ? { searchEngineUrl } : {}) });
let exitCode = 1;
// Ctrl-C must not leave the run's Redis masters, PostgreSQL and services behind.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the topology`);
    void topology.stop().finally(() => process.exit(130));
  });
}
try {
  log(`topology up: ${ownPostgres ? "PostgreSQL of the run's own" : "a database on the shared PostgreSQL"}, 3 Redis masters (${redisPersistence}), Toxiproxy in front of ${topology.searchStack ? "PostgreSQL, the masters and the search engine" : "both"}, catalog, ${topology.searchStack ? `the indexer, search on the engine (alias ${topology.searchStack.alias})` : "search on PostgreSQL alone"}, 2 booking replicas, edge at ${topology.edgeUrl}`);
  const style = values["partition-style"] as PartitionStyle | undefined;
  if (style && !["held", "cut", "refused"].includes(style)) throw new Error(`--partition-style must be held, cut or refused, not ${style}`);
  const plan = planFaults(seed, durationMs, holdTtlSeconds * 1_000, schedule.spacingMs, kinds).map((fault) => (style && fault.partition ? { ...fault, partition: style } : fault));
  const load: LoadSettings = {
    edgeUrl: topology.edgeUrl,
    eventId: topology.eventId,
    ticketIds: topology.ticketIds,
    buyers,
    durationMs,
    seed,
    historyFile,
    requestTimeoutMs: 8_000,
    search: { eventName: EVENT_NAME, organiserVenueId: topology.organiserVenueId },
  };
  const loadStartedAt = Date.now();
  // In a file, not on the command line: thousands of seat ids outgrow an argument (E2BIG).
  const loadFile = join(runDir, "load.json");
  writeFileSync(loadFile, JSON.stringify(load));
  const client = spawn(process.execPath, ["--import", "tsx", join(REPO, "chaos/load-client.ts"), loadFile], { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  const loadDone = new Promise<number | null>((resolve) => client.once("exit", resolve));
  const faults = await runNemesis(plan, { ...topology, ...(topology.searchStack ? { searchIndexer: topology.searchStack.indexer } : {}), redisPersistence, holdTtlMs: holdTtlSeconds * 1_000 }, loadStartedAt, faultsFile, log);
  const loadExit = await loadDone;
  if (loadExit !== 0) throw new Error(`the load client exited with ${loadExit}`);
  log("load stopped; waiting for recovery to settle every interrupted payment");
  const settled = await untilSettled(topology.database.db, (recoveryGraceSeconds + 30) * 1_000);
  log(settled.settled ? `settled after ${settled.waitedMs} ms` : `NOT settled after ${settled.waitedMs} ms: the checker will name what is left`);

  const stack = topology.searchStack;
  const search = stack ? await readSearchEvidence(topology.database.db, stack.client, stack.alias, stack.cacheTtlMs, 45_000) : undefined;
  if (search) log(`index compared with the database after ${search.waitedMs} ms`);
  const history = readLines<Operation>(historyFile);
  const results = check({ snapshot: await readSnapshot(topology.database.db, topology.eventId), history, faults, lockNodes: topology.redis.length, holdTtlMs: holdTtlSeconds * 1_000, ...(search ? { search } : {}) });
  const violations = Object.values(results).flat();
  const rows = faultTable(history, faults, violations);
  const tables = `${markdownTables(rows, results)}\n\n${searchReport(history, faults, search)}`;
  const held = holdIntervals(history).length;
  const acknowledged = history.filter((op) => (op.op === "confirm" || op.op === "buy") && op.outcome === "ok").length;
  const summary = `Seed ${seed}: ${durationMs / 1_000} s of load by ${buyers} buyers on ${tickets} seats, hold TTL ${holdTtlSeconds} s, Redis masters ${redisPersistence}; ${history.length} operations (${held} holds, ${acknowledged} acknowledged purchases checked), ${faults.length} faults.`;
  console.log(`\n${summary}\n\n${tables}\n`);
  for (const name of Object.keys(INVARIANTS) as InvariantName[]) {
    for (const violation of results[name].slice(0, 5)) console.log(formatViolation(violation));
    if (results[name].length > 5) console.log(`  … and ${results[name].length - 5} more ${name} violations`);
  }
  const svg = await timelineSvg(history, faults, loadStartedAt);
  writeFileSync(join(runDir, "timeline.svg"), svg);
  writeFileSync(join(runDir, "report.md"), `${summary}\n\n${tables}\n`);
  if (publish) publishReport(summary, tables, svg);
  exitCode = violations.length === 0 ? 0 : 1;
  log(exitCode === 0 ? "every invariant holds" : `${violations.length} violations`);
} finally {
  await topology.stop();
}
process.exit(exitCode);

function publishReport(summary: string, tables: string, svg: string): void {
  const doc = join(REPO, "docs/reliability.md");
  const start = "<!-- generated by npm run chaos: do not edit below -->";
  const end = "<!-- generated: end -->";
  const text = readFileSync(doc, "utf8");
  const before = text.slice(0, text.indexOf(start) + start.length);
  const after = text.slice(text.indexOf(end));
  mkdirSync(join(REPO, "docs/reliability"), { recursive: true });
  writeFileSync(join(REPO, "docs/reliability/timeline.svg"), svg);
  writeFileSync(doc, `${before}\n\n${summary} Measured ${new Date().toISOString().slice(0, 10)}, load average ${loadAverage} at the start (${cpus().length} cores).\n\n${tables}\n\n![Faults against throughput](reliability/timeline.svg)\n\n${after}`);
}
