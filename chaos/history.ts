import { appendFileSync, readFileSync, existsSync } from "node:fs";
import type { RedisPersistence } from "./redis-persistence.js";

/**
 * What a simulated buyer asked and what it was told, as one line of the history file. Times
 * are the client's wall clock (epoch ms), on the same machine as the services, so they compare
 * with the hold expiries the services hand out.
 */
export type OperationKind = "reserve" | "confirm" | "release" | "buy";

/**
 * ok: the client was told it succeeded. fail: told it did not (a 4xx answer: seat taken,
 * declined, no such hold). unknown: no verdict (timeout, connection lost, 5xx): the request
 * may or may not have taken effect, which is why the client retries with the same key.
 */
export type Outcome = "ok" | "fail" | "unknown";

export interface Operation {
  id: number;
  client: string;
  user: string;
  op: OperationKind;
  invokeAt: number;
  completeAt: number;
  outcome: Outcome;
  /** HTTP status, 0 when no answer arrived. */
  status: number;
  error?: string;
  ticketIds: string[];
  reservationId?: string;
  /** confirm and buy: the key every retry of one purchase repeats. */
  idempotencyKey?: string;
  attempt?: number;
  /** reserve: the seats are held (not the degraded answer of a lock store without quorum). */
  held?: boolean;
  expiresAt?: number;
  bookingId?: string;
}

export type FaultKind = "kill-booking" | "restart-redis" | "restart-edge" | "payment-faults" | "restart-postgres" | NetworkFaultKind;

/** Toxiproxy's faults on one link between the services and a server (chaos/network-faults.ts). */
export type NetworkFaultKind = "redis-latency" | "redis-partition" | "postgres-latency" | "postgres-partition";

export interface FaultEvent {
  kind: FaultKind;
  target: string;
  /** When the fault began (the kill, the stop) and when the target was back. */
  startAt: number;
  endAt: number;
  /** What exactly was done, for the log and the report (e.g. "300 ± 100 ms"). */
  detail?: string;
  /** restart-redis: how the master kept its holds (chaos/redis-persistence.ts). */
  persistence?: RedisPersistence;
}

export function appendLine(file: string, record: Operation | FaultEvent): void {
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

export function readLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}
