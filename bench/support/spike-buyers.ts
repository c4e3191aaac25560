/**
 * Who the spike's buyers are, drawn from a seeded generator so that a run can be repeated:
 * when each arrives (a share early, uniform over the `earlySeconds` before the on-sale, on the
 * waiting room's page already; the rest uniform over the `arrivalSeconds` after it: the spike),
 * how many seats it wants (1–4), and how its purchase ends (pays, abandons the hold, or pays
 * with a card that is declined).
 */
export type Fate = "pay" | "abandon" | "decline";

export interface PlannedBuyer {
  /** The account, unique per run and scenario. */
  userId: string;
  /** Arrival relative to the on-sale, ms (negative: before it). */
  arrivalMs: number;
  want: number;
  fate: Fate;
  /** Seeds this buyer's own choices (which seats). */
  seed: number;
}

/** mulberry32: small, fast, seeded; enough for a bench's choices (never for anything secret). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function planBuyers(options: { buyers: number; arrivalSeconds: number; earlyShare: number; earlySeconds: number; abandon: number; decline: number; seed: number; prefix: string }): PlannedBuyer[] {
  const random = seededRandom(options.seed);
  const buyers: PlannedBuyer[] = [];
  for (let index = 0; index < options.buyers; index++) {
    const early = random() < options.earlyShare;
    const arrivalMs = early ? -random() * options.earlySeconds * 1000 : random() * options.arrivalSeconds * 1000;
    const want = 1 + Math.floor(random() * 4);
    const roll = random();
    const fate: Fate = roll < options.abandon ? "abandon" : roll < options.abandon + options.decline ? "decline" : "pay";
    buyers.push({ userId: `${options.prefix}-${index}`, arrivalMs, want, fate, seed: Math.floor(random() * 2 ** 32) });
  }
  return buyers.sort((a, b) => a.arrivalMs - b.arrivalMs);
}

/** Deals the buyers out to `processes` load processes in turn, so each has arrivals across the whole window. */
export function dealBuyers<T>(buyers: readonly T[], processes: number): T[][] {
  const hands: T[][] = Array.from({ length: processes }, () => []);
  buyers.forEach((buyer, index) => hands[index % processes]!.push(buyer));
  return hands;
}
