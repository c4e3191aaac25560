import { DomainError } from "../../shared/errors/domain-error.js";

/**
 * The per-account purchase limit of an event (issue 12): the tickets one buyer holds plus has
 * bought of an event may not pass the event's limit, so one account cannot hoard an on-sale.
 * Reserve checks it against the buyer's live holds and booked tickets, under a per-buyer lock;
 * confirm checks the booked tickets again inside its transaction (migration 015), which is what
 * holds when the lock store is down or wrong. Pure arithmetic and words, no I/O.
 */
export interface PurchaseCount {
  /** The event's limit. */
  limit: number;
  /** The buyer's live holds on the event's tickets. */
  held: number;
  /** The buyer's tickets of the event in confirmed bookings. */
  bought: number;
}

/** How many more tickets the buyer can reserve now. */
export function remainingAllowance(count: PurchaseCount): number {
  return Math.max(0, count.limit - count.held - count.bought);
}

/** Refuses an order of `adding` more tickets that would take the buyer past the limit. */
export function checkPurchaseLimit(count: PurchaseCount, adding: number): void {
  if (count.held + count.bought + adding > count.limit) throw purchaseLimitReached(count, adding);
}

const tickets = (n: number) => `${n} ticket${n === 1 ? "" : "s"}`;

/**
 * FAILED_PRECONDITION (HTTP 409), not RESOURCE_EXHAUSTED: the REST edge answers that one with 429
 * and Retry-After, which tells a client to send the same request again later, and that never
 * helps here; the buyer has to change something first (buy fewer, release a reservation).
 */
export function purchaseLimitReached(count: PurchaseCount, adding: number): DomainError {
  const remaining = remainingAllowance(count);
  const what = `limit ${tickets(count.limit)} per account for this event: you hold ${count.held} and have bought ${count.bought}`;
  const advice =
    remaining === 0
      ? count.held > 0
        ? "you cannot add more; release a reservation to choose other seats"
        : "you cannot add more"
      : `you can add ${remaining}`;
  return new DomainError("conflict", `${what}; ${advice}`, {
    reason: "purchase_limit",
    field: "ticket_ids",
    limit: count.limit,
    held: count.held,
    bought: count.bought,
    requested: adding,
    remaining,
  });
}

/**
 * Confirm's refusal: the transaction counts only what the buyer has bought (the seats being paid
 * for are their own holds), so the sentence says that, and that nothing was charged.
 */
export function purchaseLimitAtConfirm(count: Omit<PurchaseCount, "held">, buying: number): DomainError {
  const remaining = Math.max(0, count.limit - count.bought);
  return new DomainError(
    "conflict",
    `limit ${tickets(count.limit)} per account for this event: you have bought ${count.bought}, and this order has ${buying}; ` +
      `${remaining === 0 ? "you cannot buy more" : `you can buy ${remaining} more`}. You have not been charged.`,
    { reason: "purchase_limit", field: "ticket_ids", limit: count.limit, held: 0, bought: count.bought, requested: buying, remaining },
  );
}

/** Refuses a confirm before any money moves when the bought tickets and these would pass the limit. */
export function checkPurchaseLimitAtConfirm(count: Omit<PurchaseCount, "held">, buying: number): void {
  if (count.bought + buying > count.limit) throw purchaseLimitAtConfirm(count, buying);
}
