import { rmSync, writeFileSync } from "node:fs";
import { appendLine, type FaultEvent, type FaultKind } from "./history.js";
import type { ManagedProcess } from "./managed-process.js";
import type { ChaosNetwork } from "./network.js";
import { isNetworkFault, networkTargets, planNetworkFault, runNetworkFault } from "./network-faults.js";
import type { PartitionStyle } from "./network.js";
import { downtimeMs, keepsHolds, type RedisPersistence } from "./redis-persistence.js";
import { mulberry32, pick } from "../services/catalog/demo/seeded-random.js";
import { searchEngineDown } from "./search-stack.js";

export interface PlannedFault {
  /** From the start of the load. */
  atMs: number;
  kind: FaultKind;
  /** Index of the replica or Redis master it hits. */
  target: number;
  /** How long the target stays down before it is started again. */
  downMs: number;
  /** A network partition's kind (chaos/network.ts). */
  partition?: PartitionStyle;
}

/** The kinds every run has; a run with a PostgreSQL of its own adds "restart-postgres", one with a search engine SEARCH_FAULTS. */
export const BASE_FAULTS: FaultKind[] = ["kill-booking", "restart-redis", "restart-edge", "payment-faults"];

/** The search engine unreachable (every run with an engine); the indexer killed (the full schedule). */
export const SEARCH_FAULTS = { short: ["search-engine-down"], full: ["search-engine-down", "kill-indexer"] } satisfies Record<string, FaultKind[]>;

/** A provider outage: some calls refused, some acted on with the answer lost, all slow. */
const PROVIDER_OUTAGE = { errorRate: 0.3, answerLostRate: 0.2, latencyMs: 300 };

/**
 * The faults of a run, from its seed alone, so a failing run replays with `--seed`. Faults come
 * one at a time, a few seconds of steady load apart; two Redis restarts are further apart than
 * a hold lives, the delayed restart Redlock's safety rests on (docs/reliability.md), so that the
 * holds stay checkable throughout. Each kind comes once before any repeats.
 */
export function planFaults(seed: number, durationMs: number, holdTtlMs: number, spacingMs: number, kinds: FaultKind[] = BASE_FAULTS): PlannedFault[] {
  const random = mulberry32(seed);
  const plan: PlannedFault[] = [];
  let lastRedis = -Infinity;
  let deck: FaultKind[] = [];
  for (let at = Math.min(8_000, spacingMs); at <= durationMs - 6_000; at += spacingMs) {
    if (deck.length === 0) deck = [...kinds].sort(() => random() - 0.5);
    let index = deck.findIndex((kind) => kind !== "restart-redis" || at - lastRedis > holdTtlMs + 5_000);
    if (index < 0) index = 0;
    const kind = deck.splice(index, 1)[0]!;
    if (kind === "restart-redis" && at - lastRedis <= holdTtlMs + 5_000) continue;
    if (kind === "restart-redis") lastRedis = at;
    if (isNetworkFault(kind)) {
      const target = Math.floor(random() * networkTargets(kind, 3));
      plan.push({ atMs: at, kind, target, ...planNetworkFault(kind, random) });
      continue;
    }
    const previous = plan[plan.length - 1];
    if (kind === "restart-redis" && previous?.kind === "redis-partition" && at - previous.atMs <= holdTtlMs) {
      // Another master than the one just cut off: holds taken during the partition live on the
      // other two alone, which is where a master that forgets them would matter.
      plan.push({ atMs: at, kind, target: (previous.target + 1 + Math.floor(random() * 2)) % 3, downMs: pick(random, [1_000, 2_000, 3_000]) });
      continue;
    }
    const targets = kind === "kill-booking" ? 2 : kind === "restart-redis" ? 3 : 1;
    const downMs = kind === "restart-edge" ? 500 : kind === "payment-faults" || kind === "search-engine-down" ? pick(random, [4_000, 6_000]) : pick(random, [1_000, 2_000, 3_000]);
    plan.push({ atMs: at, kind, target: Math.floor(random() * targets), downMs });
  }
  return plan;
}

export interface NemesisTargets {
  postgres?: ManagedProcess;
  booking: ManagedProcess[];
  redis: ManagedProcess[];
  edge: ManagedProcess;
  /** Every booking replica's PAYMENTS_SIMULATED_FAULTS_FILE. */
  paymentFaultsFile: string;
  /** The proxies between the services and PostgreSQL, each Redis master and (in a run with one) the search engine. */
  network?: ChaosNetwork;
  /** The indexer, in a run with a search engine. */
  searchIndexer?: ManagedProcess;
  /** How the Redis masters keep their holds, which sets how long a killed one stays down. */
  redisPersistence?: RedisPersistence;
  holdTtlMs?: number;
}

/** The provider fails and slows down for every replica at once, then heals. */
async function providerOutage(fault: PlannedFault, file: string, log: (line: string) => void): Promise<FaultEvent> {
  const startAt = Date.now();
  log(`nemesis: payment provider outage for ${fault.downMs} ms (${JSON.stringify(PROVIDER_OUTAGE)})`);
  writeFileSync(file, JSON.stringify(PROVIDER_OUTAGE));
  await new Promise((resolve) => setTimeout(resolve, fault.downMs));
  rmSync(file, { force: true });
  log("nemesis: payment provider healthy again");
  return { kind: "payment-faults", target: "payment provider", startAt, endAt: Date.now() };
}

function targetOf(fault: PlannedFault, targets: NemesisTargets): ManagedProcess {
  if (fault.kind === "kill-booking") return targets.booking[fault.target]!;
  if (fault.kind === "restart-redis") return targets.redis[fault.target]!;
  if (fault.kind === "kill-indexer") {
    if (!targets.searchIndexer) throw new Error("the indexer was to be killed in a run without a search engine");
    return targets.searchIndexer;
  }
  if (fault.kind === "restart-postgres") {
    if (!targets.postgres) throw new Error("a PostgreSQL restart was planned for a run on the shared PostgreSQL, which is never restarted");
    return targets.postgres;
  }
  return targets.edge;
}

/**
 * Carries out the plan against the live processes: kill -9 (no shutdown hook, mid-confirm
 * work cut wherever it stands), a pause, start again and wait until it serves; or a payment
 * provider outage for a while. Each fault is written to the faults file once it is over.
 */
export async function runNemesis(plan: PlannedFault[], targets: NemesisTargets, startedAt: number, faultsFile: string, log: (line: string) => void): Promise<FaultEvent[]> {
  const done: FaultEvent[] = [];
  for (const fault of plan) {
    const wait = startedAt + fault.atMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (fault.kind === "payment-faults") {
      done.push(await providerOutage(fault, targets.paymentFaultsFile, log));
      appendLine(faultsFile, done[done.length - 1]!);
      continue;
    }
    if (fault.kind === "search-engine-down") {
      if (!targets.network || !targets.searchIndexer) throw new Error("a search engine outage was planned for a run without a search engine");
      done.push(await searchEngineDown(fault.downMs, targets.network, log));
      appendLine(faultsFile, done[done.length - 1]!);
      continue;
    }
    if (isNetworkFault(fault.kind)) {
      if (!targets.network) throw new Error(`a ${fault.kind} fault was planned for a run without Toxiproxy`);
      done.push(await runNetworkFault({ ...fault, kind: fault.kind }, targets.network, log));
      appendLine(faultsFile, done[done.length - 1]!);
      continue;
    }
    const target = targetOf(fault, targets);
    const persistence = fault.kind === "restart-redis" ? targets.redisPersistence : undefined;
    const downMs = persistence ? downtimeMs(persistence, fault.downMs, targets.holdTtlMs ?? 0) : fault.downMs;
    const startAt = Date.now();
    log(`nemesis: ${fault.kind === "restart-postgres" ? "crash (SIGQUIT)" : "kill -9"} ${target.name} (pid ${target.pid}) for ${downMs} ms${persistence ? ` (${persistence}${keepsHolds(persistence) ? "" : ", comes back empty"})` : ""}`);
    await target.crash(fault.kind === "restart-postgres" ? "SIGQUIT" : "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await target.start();
    const event: FaultEvent = { kind: fault.kind, target: target.name, startAt, endAt: Date.now(), ...(persistence ? { persistence } : {}) };
    log(`nemesis: ${target.name} back after ${event.endAt - startAt} ms`);
    appendLine(faultsFile, event);
    done.push(event);
  }
  return done;
}
