import type { AdmissionBucket, InventoryLevel, QueueRecord } from "./queue-types.js";

/** At most this many seconds' worth of admissions are owed at once, so a lull is not followed by a flood. */
export const BURST_SECONDS = 5;

export interface AdmissionPlan {
  /** How many of the front of the line to admit now. */
  admit: number;
  bucket: AdmissionBucket;
  soldOut: boolean;
}

/** How long an admitted buyer counts as about to hold a ticket: time enough to pick seats and reserve. */
export const CLAIM_WINDOW_MS = 60_000;

/**
 * One step of the admission worker: admissions accrue at the configured rate (a token bucket
 * on the given clock), and are spent only on tickets nobody holds nor was just admitted to buy
 * (`recentlyAdmitted`, those admitted within CLAIM_WINDOW_MS), so when every unsold ticket is
 * held or spoken for admission waits for holds to expire or be released. No ticket unsold at all is sold
 * out: admission stops and the queue says so. Nothing accrues while paused, before the
 * on-sale or while sold out, so resuming does not release a backlog at once.
 */
export function planAdmission(queue: QueueRecord, waiting: number, inventory: InventoryLevel, nowMs: number, recentlyAdmitted = 0): AdmissionPlan {
  const soldOut = inventory.unsold <= 0;
  const idle = queue.paused || soldOut || (queue.onSaleAtMs !== null && nowMs < queue.onSaleAtMs);
  if (idle) return { admit: 0, bucket: { tokens: 0, refilledAtMs: nowMs }, soldOut };

  const burst = Math.max(1, (queue.ratePerMinute * BURST_SECONDS) / 60);
  const elapsedMs = Math.max(0, nowMs - queue.bucket.refilledAtMs);
  const tokens = Math.min(burst, queue.bucket.tokens + (elapsedMs * queue.ratePerMinute) / 60_000);
  const free = Math.max(0, inventory.unsold - inventory.held - recentlyAdmitted);
  const admit = Math.min(Math.floor(tokens), waiting, free);
  return { admit, bucket: { tokens: tokens - admit, refilledAtMs: nowMs }, soldOut };
}
