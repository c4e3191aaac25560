import { appendFileSync, readFileSync, existsSync } from "node:fs";
import type { RedisPersistence } from "./redis-persistence.js";

/**
 * What a simulated buyer asked and what it was told, as one line of the history file. Times
 * are the client's wall clock (epoch ms), on the same machine as the services, so they compare
 * with the hold expiries the services hand out.
 */
export type OperationKind = "reserve" | "confirm" | "release" | "buy" | SearchOperationKind;

/** A buyer's search (GET /events/search through the edge), an organiser creating or renaming an event (the catalog's admin API). */
export type SearchOperationKind = "search" | "create-event" | "update-event";

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
  /** search: the words looked for, who answered ("opensearch", or "postgres" for the fallback), the events listed, the one the buyer was looking for. */
  term?: string;
  backend?: string;
  found?: string[];
  expect?: string;
  /** create-event, update-event: the event and the name it was given. */
  eventId?: string;
  name?: string;
}

export type FaultKind = "kill-booking" | "restart-redis" | "restart-edge" | "payment-faults" | "restart-postgres" | NetworkFaultKind | SearchFaultKind;

/** Toxiproxy's faults on one link between the services and a server (chaos/network-faults.ts). */
export type NetworkFaultKind = "redis-latency" | "redis-partition" | "postgres-latency" | "postgres-partition";

/** The search engine unreachable behind its link for a while; the indexer killed -9 and restarted. */
export type SearchFaultKind = "search-engine-down" | "kill-indexer";

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
