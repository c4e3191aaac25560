/**
 * One spike, end to end: a fresh database, the platform's processes, the event (with its
 * waiting room, or without), the load processes with their buyers, then — once every buyer has
 * finished and the payments have settled — the sale checked from the database and the ledger,
 * fairness from the queue's admissions, and the figures over time.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { createTestDatabase } from "../../test/support/real-services.js";
import { loadAverage } from "../bench-stats.js";
import { REPO } from "./child-process.js";
import { processCpuMs } from "./process-cpu.js";
import { admissionInversions, joinAdmissionCorrelation, type Arrival, type Inversions } from "./fairness.js";
import { dealBuyers, planBuyers } from "./spike-buyers.js";
import { createSpikeEvent } from "./spike-event.js";
import { checkSale, untilPaymentsSettle, type SaleCheck } from "./spike-ledger.js";
import { startLoadProcess } from "./spike-load-process.js";
import type { Scenario, SpikeOptions } from "./spike-options.js";
import { SPIKE_AUTH, startSpikePlatform } from "./spike-platform.js";
import { mergeRecorders, SPIKE_CALLS, type Outcome, type RecorderData, type SpikeCall } from "./spike-recorder.js";
import { admissionTimes, waitingOrder, depthPerSecond, perSecond, sampleQueueDepth, type DepthSample } from "./spike-timeline.js";

const WORK = join(REPO, ".services/bench-onsale-spike");
/** From the event's creation to its first arrival: the layout read and the start sent to the ready load processes. */
const LEAD_MS = 5_000;
const SETTLE_TIMEOUT_MS = 180_000;

export interface CallFigures {
  count: number;
  p50: number;
  p99: number;
  codes: Record<string, number>;
  /** Share of calls that did not answer OK. */
  errorShare: number;
}

export interface Fairness {
  /** Joined after the on-sale: first come, first served. */
  afterOnSale: Inversions & { correlation: number };
  /** Joined before it: placed in random order when sales opened. */
  beforeOnSale: Inversions & { correlation: number };
}

export interface ScenarioResult {
  scenario: Scenario;
  eventId: string;
  onSaleAt: string;
  buyers: number;
  /** Seats wanted by the buyers who would pay: more than the capacity means the event must sell out. */
  demandSeats: number;
  outcomes: Partial<Record<Outcome, number>>;
  calls: Record<SpikeCall, CallFigures>;
  sale: Omit<SaleCheck, "sales">;
  /** Seconds after the on-sale: the first sale, the last seat sold (null: not sold out), the last buyer done. */
  firstSaleS: number | null;
  soldOutS: number | null;
  lastBuyerS: number;
  /** Seconds after the on-sale of the first arrival (negative: before it). */
  firstArrivalS: number;
  /** How late the load processes learned of the event after its first arrival was due (those arrivals then came late). */
  startedLateMs: number;
  admissions: { count: number; firstS: number | null; lastS: number | null } | null;
  fairness: Fairness | null;
  /** CPU seconds each process used from the first arrival to the last buyer done. */
  cpuSeconds: Record<string, number>;
  loadAverageBefore: string;
  loadAverageAfter: string;
  settleMs: number;
  /** Per second since the on-sale. */
  series: { fromS: number; depth: Array<number | null>; admitted: number[]; sold: number[] };
}

/** CPU ms a process has used, or what it had last when it is gone. */
function cpuMsOr(pid: number, fallback: number): number {
  try {
    return processCpuMs(pid);
  } catch {
    return fallback;
  }
}

const percentile = (sorted: readonly number[], q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);

function callFigures(data: RecorderData): Record<SpikeCall, CallFigures> {
  const out = {} as Record<SpikeCall, CallFigures>;
  for (const call of SPIKE_CALLS) {
    const sorted = [...data.latencies[call]].sort((a, b) => a - b);
    const codes = data.codes[call];
    const total = Object.values(codes).reduce((sum, n) => sum + n, 0);
    out[call] = { count: total, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), codes, errorShare: total === 0 ? 0 : (total - (codes.OK ?? 0)) / total };
  }
  return out;
}

export async function runScenario(scenario: Scenario, options: SpikeOptions): Promise<ScenarioResult> {
  mkdirSync(WORK, { recursive: true });
  const queue = scenario === "queue";
  const database = await createTestDatabase({ poolMax: 4 });
  const platform = await startSpikePlatform({ databaseUrl: database.url, holdSeconds: options.holdSeconds });
  const redis = new Redis(platform.queueRedisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  try {
    const issue = createDevTokenIssuer({ mode: "dev", devSecret: SPIKE_AUTH.AUTH_DEV_SECRET, issuer: SPIKE_AUTH.AUTH_ISSUER, audience: SPIKE_AUTH.AUTH_AUDIENCE });
    const files = Array.from({ length: options.loadProcesses }, (_, index) => join(WORK, `${scenario}-load-${index}.json`));
    const loads = files.map((file, index) => startLoadProcess(index, file));
    const plan = planBuyers({ ...options, prefix: `${scenario}-buyer` });
    const hands = dealBuyers(plan, options.loadProcesses);
    loads.forEach((load, index) =>
      load.send({
        edgeUrl: platform.edgeUrl,
        queue,
        buyers: hands[index]!,
        wait: options.wait,
        pollSeconds: options.pollSeconds,
        reserveAttempts: options.reserveAttempts,
        patienceSeconds: options.patienceSeconds,
        maxSeconds: options.maxSeconds,
        auth: { devSecret: SPIKE_AUTH.AUTH_DEV_SECRET, issuer: SPIKE_AUTH.AUTH_ISSUER, audience: SPIKE_AUTH.AUTH_AUDIENCE },
        resultFile: files[index]!,
      }),
    );
    // The on-sale is set once every buyer is ready to come.
    await Promise.all(loads.map((load) => load.ready));
    const onSaleAtMs = Date.now() + LEAD_MS + options.earlySeconds * 1000;
    const event = await createSpikeEvent({ edgeUrl: platform.edgeUrl, adminToken: await issue("bench-admin", ["admin"]), seats: options.seats, onSaleAtMs, queue, admitPerSecond: options.admitPerSecond });
    for (const load of loads) load.start({ eventId: event.eventId, onSaleAtMs, ticketIds: event.ticketIds });
    // Without a waiting room the early arrivals try at the on-sale (spike-load-client.ts).
    const firstArrivalMs = onSaleAtMs + (queue ? (plan[0]?.arrivalMs ?? 0) : Math.max(0, plan[0]?.arrivalMs ?? 0));
    const startedLateMs = Math.max(0, Date.now() - firstArrivalMs);
    if (startedLateMs > 0) console.log(`note: the load processes learned of the event ${startedLateMs.toFixed(0)} ms after the first arrival was due`);
    // Measure from the first arrival.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstArrivalMs - Date.now())));
    const loadAverageBefore = loadAverage();
    const pids: Record<string, number> = { ...platform.pids };
    loads.forEach((load, index) => (pids[`load ${index + 1}`] = load.pid));
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMsOr(pid, 0)]));
    const stopSampling = queue ? sampleQueueDepth(redis, event.eventId) : () => [] as DepthSample[];
    const progress = setInterval(() => console.log(`  ${scenario}: ${((Date.now() - onSaleAtMs) / 1000).toFixed(0)} s after the on-sale, load average ${loadAverage()}`), 10_000);
    let data: RecorderData;
    let cpuSeconds: Record<string, number> = {};
    try {
      // Read each load process's CPU just before it exits (its figures are final by then).
      const parts = await Promise.all(
        loads.map(async (load, index) => {
          const name = `load ${index + 1}`;
          let last = cpuBefore[name]!;
          const reader = setInterval(() => (last = cpuMsOr(load.pid, last)), 200);
          const part = await load.done.finally(() => clearInterval(reader));
          cpuSeconds[name] = (last - cpuBefore[name]!) / 1000;
          return part;
        }),
      );
      data = mergeRecorders(parts);
    } finally {
      clearInterval(progress);
    }
    const lastBuyerS = (Date.now() - onSaleAtMs) / 1000;
    for (const name of Object.keys(platform.pids)) cpuSeconds[name] = (cpuMsOr(pids[name]!, cpuBefore[name]!) - cpuBefore[name]!) / 1000;
    cpuSeconds = Object.fromEntries(Object.entries(cpuSeconds).sort(([a], [b]) => a.localeCompare(b)));
    const samples = stopSampling();
    const loadAverageAfter = loadAverage();

    const admitted = queue ? await admissionTimes(redis, event.eventId) : new Map<string, number>();
    const stillWaiting = queue ? await waitingOrder(redis, event.eventId) : new Map<string, number>();
    const settleMs = await untilPaymentsSettle(database.db, SETTLE_TIMEOUT_MS);
    const check = await checkSale(database.db, event.eventId, data.buyers);
    const { sales, ...sale } = check;
    const soldSorted = [...sales].sort((a, b) => a.atMs - b.atMs);
    const secondsAfter = (ms: number) => (ms - onSaleAtMs) / 1000;
    const demandSeats = plan.filter((buyer) => buyer.fate === "pay").reduce((sum, buyer) => sum + buyer.want, 0);

    const outcomes: Partial<Record<Outcome, number>> = {};
    for (const buyer of data.buyers) outcomes[buyer.outcome] = (outcomes[buyer.outcome] ?? 0) + 1;

    let fairness: Fairness | null = null;
    if (queue) {
      // The queue's order: by admission time, then those still in line when it sold out, by their place.
      const servedAfterEveryAdmission = Number.MAX_SAFE_INTEGER / 2;
      const orderOf = (userId: string) => admitted.get(userId) ?? (stillWaiting.has(userId) ? servedAfterEveryAdmission + stillWaiting.get(userId)! : null);
      const arrivalOf = (buyer: (typeof data.buyers)[number]): Arrival => ({ joinedAt: buyer.joinSentAt, admittedAt: orderOf(buyer.userId) });
      const joined = data.buyers.filter((buyer) => buyer.joinStatus !== undefined);
      const early = joined.filter((buyer) => buyer.joinStatus === "WAITING_FOR_ON_SALE").map(arrivalOf);
      const late = joined.filter((buyer) => buyer.joinStatus !== "WAITING_FOR_ON_SALE").map(arrivalOf);
      fairness = {
        afterOnSale: { ...admissionInversions(late), correlation: joinAdmissionCorrelation(late) },
        beforeOnSale: { ...admissionInversions(early), correlation: joinAdmissionCorrelation(early) },
      };
    }
    const admittedTimes = [...admitted.values()].sort((a, b) => a - b);
    const fromS = Math.min(-1, Math.floor((firstArrivalMs - onSaleAtMs) / 1000));
    const toS = Math.ceil(lastBuyerS);
    return {
      scenario,
      eventId: event.eventId,
      onSaleAt: new Date(onSaleAtMs).toISOString(),
      buyers: data.buyers.length,
      demandSeats,
      outcomes,
      calls: callFigures(data),
      sale,
      firstSaleS: soldSorted.length > 0 ? secondsAfter(soldSorted[0]!.atMs) : null,
      soldOutS: check.sold === check.capacity && soldSorted.length > 0 ? secondsAfter(soldSorted.at(-1)!.atMs) : null,
      lastBuyerS,
      firstArrivalS: (firstArrivalMs - onSaleAtMs) / 1000,
      startedLateMs,
      admissions: queue ? { count: admitted.size, firstS: admittedTimes.length ? secondsAfter(admittedTimes[0]!) : null, lastS: admittedTimes.length ? secondsAfter(admittedTimes.at(-1)!) : null } : null,
      fairness,
      cpuSeconds,
      loadAverageBefore,
      loadAverageAfter,
      settleMs,
      series: {
        fromS,
        depth: queue ? depthPerSecond(samples, onSaleAtMs, fromS, toS) : [],
        admitted: perSecond(admittedTimes.map((atMs) => ({ atMs, n: 1 })), onSaleAtMs, fromS, toS),
        sold: perSecond(sales.map((s) => ({ atMs: s.atMs, n: s.tickets })), onSaleAtMs, fromS, toS),
      },
    };
  } finally {
    redis.disconnect();
    await platform.stop();
    await database.drop();
  }
}
