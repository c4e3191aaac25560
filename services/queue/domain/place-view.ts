import { isDrawnScore } from "./placement.js";
import type { Place, Standing } from "./queue-types.js";
import { estimateWaitMs } from "./wait-estimate.js";

/** A buyer's place from what the store read: the one place status, position and estimate are decided. */
export function placeOf(standing: Standing, nowMs: number, admissionTtlMs: number): Place {
  const { queue, waiting } = standing;
  if (standing.admittedAtMs !== null) {
    const expiresAtMs = standing.admittedAtMs + admissionTtlMs;
    return expiresAtMs > nowMs
      ? { kind: "admitted", queue, waiting, admittedAtMs: standing.admittedAtMs, expiresAtMs }
      : { kind: "admission_expired", queue, waiting, expiresAtMs };
  }
  if (queue.soldOut) return { kind: "sold_out", queue, waiting };
  if (standing.rank === null || standing.score === null) return { kind: "not_in_queue", queue, waiting };
  const position = standing.rank + 1;
  const estimatedWaitMs = estimateWaitMs({
    position,
    admittedLastMinute: standing.admittedLastMinute,
    configuredPerMinute: queue.ratePerMinute,
    paused: queue.paused,
    nowMs,
    onSaleAtMs: queue.onSaleAtMs,
  });
  const beforeOnSale = queue.onSaleAtMs !== null && nowMs < queue.onSaleAtMs && isDrawnScore(standing.score);
  return { kind: beforeOnSale ? "waiting_for_on_sale" : "waiting", queue, position, waiting, estimatedWaitMs };
}
