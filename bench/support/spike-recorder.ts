/**
 * What the spike's load processes measure: every call's latency and its outcome by Connect code
 * (OK or the error's code name), per kind of call, and how each buyer's visit went. Kept as raw
 * samples so the bench can merge processes and take percentiles over all of them.
 */
import { Code, ConnectError } from "@connectrpc/connect";

export const SPIKE_CALLS = ["join", "position", "availability", "reserve", "confirm", "release"] as const;
export type SpikeCall = (typeof SPIKE_CALLS)[number];

export type Outcome =
  /** Paid and got its seats. */
  | "bought"
  /** Held seats and walked away. */
  | "abandoned"
  /** Its card was declined; it released its seats. */
  | "declined"
  /** Learned that nothing is left (the queue said so, or the seat map showed every seat sold). */
  | "sold_out"
  /** Could not take a place in the queue (its joins failed). */
  | "join_failed"
  /** Tried its reserve attempts (or its patience ran out) without getting a hold. */
  | "gave_up"
  /** Held seats but its confirm failed for another reason than its card. */
  | "confirm_failed"
  /** Turned away at reserve or confirm (admission refused). */
  | "refused"
  /** Still waiting at the bench's time limit. */
  | "timed_out";

export interface BuyerRecord {
  userId: string;
  /** When it sent its first JoinQueue, or (without a queue) its first call, epoch ms. */
  joinSentAt: number;
  /** The place status JoinQueue answered (queue only). */
  joinStatus?: string;
  /** When it learned of its admission, epoch ms. */
  admittedSeenAt?: number;
  outcome: Outcome;
  ticketIds: string[];
  bookingId?: string;
  reserveAttempts: number;
}

export interface RecorderData {
  latencies: Record<SpikeCall, number[]>;
  codes: Record<SpikeCall, Record<string, number>>;
  buyers: BuyerRecord[];
}

export const codeName = (error: unknown) => Code[ConnectError.from(error).code] ?? "Unknown";

export function createRecorder() {
  const data: RecorderData = {
    latencies: Object.fromEntries(SPIKE_CALLS.map((call) => [call, []])) as unknown as RecorderData["latencies"],
    codes: Object.fromEntries(SPIKE_CALLS.map((call) => [call, {}])) as unknown as RecorderData["codes"],
    buyers: [],
  };
  const count = (call: SpikeCall, code: string) => (data.codes[call][code] = (data.codes[call][code] ?? 0) + 1);
  return {
    data,
    /** Times one call; records its latency and outcome, and passes its result or error on. */
    async timed<T>(call: SpikeCall, run: () => Promise<T>): Promise<T> {
      const started = performance.now();
      try {
        const result = await run();
        count(call, "OK");
        return result;
      } catch (error) {
        count(call, codeName(error));
        throw error;
      } finally {
        data.latencies[call].push(performance.now() - started);
      }
    },
    /** A latency measured by hand (a stream's first message), with its outcome. */
    note(call: SpikeCall, ms: number, code = "OK") {
      data.latencies[call].push(ms);
      count(call, code);
    },
    buyer(record: BuyerRecord) {
      data.buyers.push(record);
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;

/** Several load processes' figures as one. */
export function mergeRecorders(parts: readonly RecorderData[]): RecorderData {
  const merged = createRecorder().data;
  for (const part of parts) {
    for (const call of SPIKE_CALLS) {
      for (const ms of part.latencies[call]) merged.latencies[call].push(ms);
      for (const [code, n] of Object.entries(part.codes[call])) merged.codes[call][code] = (merged.codes[call][code] ?? 0) + n;
    }
    merged.buyers.push(...part.buyers);
  }
  return merged;
}
