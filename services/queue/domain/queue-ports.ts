import type { AdmissionPlan } from "./admission-plan.js";
import type { AdmissionBucket, InventoryLevel, QueueEvent, QueueRecord, Standing } from "./queue-types.js";

/**
 * Where queues live: Redis in production (one primary of its own, so places survive restarts
 * of every process), in process in the embedded default. Join and admit are atomic in the store.
 */
export interface QueueStore {
  /** Creates the queue, or updates the rate of an open one, keeping every place. */
  open(eventId: string, settings: { ratePerMinute: number; onSaleAtMs: number | null }, nowMs: number): Promise<QueueRecord>;
  find(eventId: string): Promise<QueueRecord | undefined>;
  update(eventId: string, patch: { paused?: boolean; ratePerMinute?: number }): Promise<QueueRecord | undefined>;
  /**
   * Keeps the buyer's place when there is one (waiting, or admitted and not yet expired);
   * otherwise (new, or admission expired) places the buyer at `score`.
   */
  join(eventId: string, userId: string, score: number, nowMs: number, admissionTtlMs: number): Promise<void>;
  /** Undefined when the event has no queue. */
  standing(eventId: string, userId: string, nowMs: number): Promise<Standing | undefined>;
  leave(eventId: string, userId: string): Promise<void>;
  waitingCount(eventId: string): Promise<number>;
  /** How many were admitted after `sinceMs`. */
  admittedSince(eventId: string, sinceMs: number): Promise<number>;
  /** Forgets the admissions given before `admittedBeforeMs` (their tokens long expired); answers how many. */
  pruneAdmitted(eventId: string, admittedBeforeMs: number): Promise<number>;
  /**
   * If the bucket is still `expected` (no other worker went first), admits the `plan.admit`
   * lowest scores and stores the plan's bucket and sold-out flag, in one step. Answers who was
   * admitted, or null when another worker went first.
   */
  admit(eventId: string, expected: AdmissionBucket, plan: AdmissionPlan, nowMs: number): Promise<string[] | null>;
  /** Every queue the admission worker should step. */
  queues(): Promise<string[]>;
}

/** The catalog's facts and the tickets' state, read from PostgreSQL and the lock nodes. */
export interface EventFacts {
  find(eventId: string): Promise<QueueEvent | undefined>;
  inventory(eventId: string): Promise<InventoryLevel>;
}
