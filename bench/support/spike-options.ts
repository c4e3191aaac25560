/**
 * The spike bench's settings, from the environment as the other benches take theirs
 * (bench/onsale-spike.ts lists them). Defaults: the on-sale, 20,000 buyers arriving
 * within 10 s of the on-sale of a 2,000-seat high-demand event.
 */
export type WaitMode = "watch" | "poll";
export type Scenario = "queue" | "direct";

export interface SpikeOptions {
  buyers: number;
  seats: number;
  /** The spike: buyers arriving within this many seconds after the on-sale. */
  arrivalSeconds: number;
  /** Early arrivals, already on the waiting room's page: this share of the buyers, within this many seconds before the on-sale. */
  earlyShare: number;
  earlySeconds: number;
  /** The waiting room's admission rate, buyers a second. */
  admitPerSecond: number;
  /** Shares of buyers who leave their hold unpaid, and whose card is declined. */
  abandon: number;
  decline: number;
  /** Booking's hold TTL: how long an abandoned cart keeps its seats. */
  holdSeconds: number;
  /** How many load processes share the buyers. */
  loadProcesses: number;
  /** How a waiting buyer follows its place: WatchQueuePosition (as the web app) or GetQueuePosition polls. */
  wait: WaitMode;
  /** Polling: the longest pause between two reads of the place (shorter near the front). */
  pollSeconds: number;
  /** Reserve attempts an admitted buyer makes (each conflict costs one). */
  reserveAttempts: number;
  /** How long a buyer keeps looking while every unsold seat is held (holds may come back). */
  patienceSeconds: number;
  /** A buyer still waiting this long after the on-sale gives up. */
  maxSeconds: number;
  seed: number;
  scenarios: Scenario[];
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, check: (value: number) => boolean = (value) => value >= 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) throw new Error(`${name}=${raw} is not a valid setting`);
  return value;
}

const share = (value: number) => value >= 0 && value <= 1;
const positive = (value: number) => value > 0;

export function spikeOptions(env: NodeJS.ProcessEnv = process.env): SpikeOptions {
  const arrivalSeconds = number(env, "BENCH_ARRIVAL_SECONDS", 10, positive);
  const wait = env.BENCH_WAIT ?? "poll";
  if (wait !== "watch" && wait !== "poll") throw new Error(`BENCH_WAIT=${wait}: watch or poll`);
  const scenarios = (env.BENCH_SCENARIOS ?? "queue,direct").split(",").map((name) => name.trim());
  for (const name of scenarios) if (name !== "queue" && name !== "direct") throw new Error(`BENCH_SCENARIOS: ${name} is neither queue nor direct`);
  const options: SpikeOptions = {
    buyers: number(env, "BENCH_BUYERS", 20_000, positive),
    seats: number(env, "BENCH_SEATS", 2_000, positive),
    arrivalSeconds,
    earlyShare: number(env, "BENCH_EARLY_SHARE", 0.2, share),
    earlySeconds: number(env, "BENCH_EARLY_SECONDS", 30, positive),
    admitPerSecond: number(env, "BENCH_ADMIT_PER_SECOND", 100, (value) => value >= 1 / 60 && value * 60 <= 100_000),
    abandon: number(env, "BENCH_ABANDON", 0.05, share),
    decline: number(env, "BENCH_DECLINE", 0.03, share),
    holdSeconds: number(env, "BENCH_HOLD_SECONDS", 60, positive),
    loadProcesses: number(env, "BENCH_LOAD_PROCESSES", 2, (value) => Number.isInteger(value) && value >= 1),
    wait,
    pollSeconds: number(env, "BENCH_POLL_SECONDS", 30, positive),
    reserveAttempts: number(env, "BENCH_RESERVE_ATTEMPTS", 5, (value) => Number.isInteger(value) && value >= 1),
    patienceSeconds: number(env, "BENCH_PATIENCE_SECONDS", 60),
    maxSeconds: number(env, "BENCH_MAX_SECONDS", 600, positive),
    seed: number(env, "BENCH_SEED", 12),
    scenarios: scenarios as Scenario[],
  };
  if (options.abandon + options.decline > 1) throw new Error("BENCH_ABANDON + BENCH_DECLINE must not exceed 1");
  return options;
}
