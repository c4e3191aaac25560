/**
 * The spike over time, read from the queue's own Redis: its depth sampled while the spike runs
 * (ZCARD of the waiting line), and afterwards each admission with the time the worker made it
 * (the admitted set's score, ms). Sales per second come from the bookings (spike-ledger.ts).
 */
import type { Redis } from "ioredis";

const keys = (eventId: string) => ({ meta: `queue:{${eventId}}:meta`, waiting: `queue:{${eventId}}:waiting`, admitted: `queue:{${eventId}}:admitted` });

export interface DepthSample {
  atMs: number;
  waiting: number;
  soldOut: boolean;
}

/** ZCARD of the waiting line every `everyMs` until stopped. */
export function sampleQueueDepth(redis: Redis, eventId: string, everyMs = 500) {
  const samples: DepthSample[] = [];
  const key = keys(eventId);
  const timer = setInterval(() => {
    const atMs = Date.now();
    void Promise.all([redis.zcard(key.waiting), redis.hget(key.meta, "soldOut")]).then(
      ([waiting, soldOut]) => samples.push({ atMs, waiting, soldOut: soldOut === "1" }),
      () => undefined,
    );
  }, everyMs);
  return () => {
    clearInterval(timer);
    return samples;
  };
}

/** Who the queue admitted, and when (epoch ms). */
export async function admissionTimes(redis: Redis, eventId: string): Promise<Map<string, number>> {
  const flat = await redis.zrange(keys(eventId).admitted, "0", "-1", "WITHSCORES");
  const times = new Map<string, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) times.set(flat[i]!, Number(flat[i + 1]));
  return times;
}

/** Who is still in line (sold out before their turn), with their place: 0 is the front. */
export async function waitingOrder(redis: Redis, eventId: string): Promise<Map<string, number>> {
  const members = await redis.zrange(keys(eventId).waiting, "0", "-1");
  return new Map(members.map((userId, rank) => [userId, rank]));
}

/** Counts per whole second since `originMs`, from `fromS` to `toS` inclusive. */
export function perSecond(events: Iterable<{ atMs: number; n: number }>, originMs: number, fromS: number, toS: number): number[] {
  const bins = new Array<number>(toS - fromS + 1).fill(0);
  for (const { atMs, n } of events) {
    const second = Math.floor((atMs - originMs) / 1000);
    if (second >= fromS && second <= toS) bins[second - fromS]! += n;
  }
  return bins;
}

/** The queue's depth at the end of each second (the last sample in it; carried forward when none). */
export function depthPerSecond(samples: readonly DepthSample[], originMs: number, fromS: number, toS: number): Array<number | null> {
  const out: Array<number | null> = new Array(toS - fromS + 1).fill(null);
  for (const sample of samples) {
    const second = Math.floor((sample.atMs - originMs) / 1000);
    if (second >= fromS && second <= toS) out[second - fromS] = sample.waiting;
  }
  for (let i = 1; i < out.length; i++) if (out[i] === null) out[i] = out[i - 1]!;
  return out;
}
