/** One event's waiting room as its store keeps it. */
export interface QueueRecord {
  eventId: string;
  ratePerMinute: number;
  /** When sales open; null when the event sold from the moment its queue opened. */
  onSaleAtMs: number | null;
  paused: boolean;
  /** Set by the admission worker when no ticket is left unsold; cleared if some come back. */
  soldOut: boolean;
  /** The admission worker's token bucket: admissions owed, and when they were last counted. */
  bucket: AdmissionBucket;
}

export interface AdmissionBucket {
  tokens: number;
  refilledAtMs: number;
}

/** What the store knows of one buyer in one queue, read in one round trip. */
export interface Standing {
  queue: QueueRecord;
  /** 0-based rank among those waiting; null when not waiting. */
  rank: number | null;
  /** The join score: below 1 for a place drawn among early arrivals (see placement.ts). */
  score: number | null;
  waiting: number;
  admittedAtMs: number | null;
  /** Admissions in the last minute: the measured rate behind the estimate. */
  admittedLastMinute: number;
}

export type QueueStatus = "open" | "paused" | "sold_out";

export const queueStatus = (queue: QueueRecord): QueueStatus => (queue.soldOut ? "sold_out" : queue.paused ? "paused" : "open");

/** A buyer's place as the buyer is told it. */
export type Place =
  | { kind: "not_in_queue"; queue: QueueRecord; waiting: number }
  | { kind: "waiting_for_on_sale"; queue: QueueRecord; position: number; waiting: number; estimatedWaitMs: number | null }
  | { kind: "waiting"; queue: QueueRecord; position: number; waiting: number; estimatedWaitMs: number | null }
  | { kind: "admitted"; queue: QueueRecord; waiting: number; admittedAtMs: number; expiresAtMs: number }
  | { kind: "admission_expired"; queue: QueueRecord; waiting: number; expiresAtMs: number }
  | { kind: "sold_out"; queue: QueueRecord; waiting: number };

/** The tickets of an event as admission sees them. */
export interface InventoryLevel {
  /** Tickets not booked (held ones included). */
  unsold: number;
  /** Unsold tickets someone holds now: they may come back when holds expire. */
  held: number;
}

/** The facts of an event a queue needs when it opens. */
export interface QueueEvent {
  id: string;
  onSaleAt: Date | null;
  highDemand: boolean;
}
