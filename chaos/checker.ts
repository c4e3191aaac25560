import type { FaultEvent, Operation } from "./history.js";
import { indexCaughtUp, searchAnswerable, type SearchEvidence } from "./search-checker.js";

/** The rows the checker reads once load has stopped and recovery has settled. */
export interface DatabaseSnapshot {
  tickets: Array<{ id: string; status: string; bookingId: string | null }>;
  bookings: Array<{ id: string; status: string; userId: string; idempotencyKey: string }>;
  items: Array<{ bookingId: string; ticketId: string; active: boolean }>;
  /** The payments ledger. */
  payments: Array<{ id: string; bookingId: string | null; status: string; providerPaymentId: string | null; userId: string; idempotencyKey: string }>;
  /** The simulated provider's own books. */
  provider: Array<{ idempotencyKey: string; providerPaymentId: string | null; status: string }>;
}

export type InvariantName = "one-owner" | "payments-settled" | "acknowledged-durable" | "refused-not-booked" | "exclusive-holds" | "search-answerable" | "index-caught-up";

export const INVARIANTS: Record<InvariantName, string> = {
  "one-owner": "no ticket in two active bookings; every booked ticket has exactly one booking",
  "payments-settled": "captured ⇔ booked; every other authorization voided or refunded",
  "acknowledged-durable": "every booking a client was told succeeded is in the database",
  "refused-not-booked": "no booking exists that the client was last told failed",
  "exclusive-holds": "while a Redis quorum was up, no two clients held one seat at once",
  "search-answerable": "search stayed answerable (PostgreSQL fallback) while the engine was down",
  "index-caught-up": "after recovery the index matches the database; every event is findable in the engine",
};

export interface Violation {
  invariant: InvariantName;
  message: string;
  /** The operations around it, oldest first. */
  history: Operation[];
}

export interface CheckInput {
  snapshot: DatabaseSnapshot;
  history: Operation[];
  faults: FaultEvent[];
  /** How many Redis lock masters there are, for the quorum. */
  lockNodes: number;
  /** Hold TTL: a restarted master without persistence has forgotten holds this long. */
  holdTtlMs: number;
  /** The database's and the engine's documents after recovery (chaos/search-checker.ts); absent in a run without a search engine. */
  search?: SearchEvidence;
}

const LIVE_LEDGER = new Set(["pending", "authorized", "voiding", "capture_failed"]);
const CONTEXT_OPS = 12;

/** The operations that touch the given seats or keys, nearest in time to `at`, oldest first. */
export function historyAround(history: Operation[], match: { ticketIds?: string[]; keys?: string[]; at?: number }): Operation[] {
  const seats = new Set(match.ticketIds ?? []);
  const keys = new Set(match.keys ?? []);
  const related = history.filter((op) => op.ticketIds.some((id) => seats.has(id)) || (op.idempotencyKey !== undefined && keys.has(`${op.user}/${op.idempotencyKey}`)));
  const at = match.at ?? (related.length > 0 ? related[related.length - 1]!.completeAt : 0);
  return related
    .sort((a, b) => Math.abs(a.invokeAt - at) - Math.abs(b.invokeAt - at))
    .slice(0, CONTEXT_OPS)
    .sort((a, b) => a.invokeAt - b.invokeAt || a.id - b.id);
}

function oneOwner(input: CheckInput): Violation[] {
  const { snapshot, history } = input;
  const confirmed = new Set(snapshot.bookings.filter((b) => b.status === "confirmed").map((b) => b.id));
  const owners = new Map<string, string[]>();
  for (const item of snapshot.items) {
    if (!item.active || !confirmed.has(item.bookingId)) continue;
    owners.set(item.ticketId, [...(owners.get(item.ticketId) ?? []), item.bookingId]);
  }
  const violations: Violation[] = [];
  for (const ticket of snapshot.tickets) {
    const held = owners.get(ticket.id) ?? [];
    let message: string | undefined;
    if (held.length > 1) message = `ticket ${ticket.id} is in ${held.length} active bookings (${held.join(", ")})`;
    else if (ticket.status === "booked" && held.length === 0) message = `ticket ${ticket.id} is booked but in no active booking`;
    else if (ticket.status === "booked" && ticket.bookingId !== held[0]) message = `ticket ${ticket.id} names booking ${ticket.bookingId}, its active booking item is ${held[0]}`;
    else if (ticket.status !== "booked" && held.length > 0) message = `ticket ${ticket.id} is ${ticket.status} but in active booking ${held[0]}`;
    if (message) violations.push({ invariant: "one-owner", message, history: historyAround(history, { ticketIds: [ticket.id] }) });
  }
  return violations;
}

function paymentsSettled(input: CheckInput): Violation[] {
  const { snapshot, history } = input;
  const violations: Violation[] = [];
  const bookings = new Map(snapshot.bookings.map((b) => [b.id, b]));
  const provider = new Map(snapshot.provider.filter((p) => p.providerPaymentId).map((p) => [p.providerPaymentId!, p]));
  const ledgerByProviderId = new Map(snapshot.payments.filter((p) => p.providerPaymentId).map((p) => [p.providerPaymentId!, p]));
  const around = (userId: string, key: string) => historyAround(history, { keys: [`${userId}/${key}`] });
  for (const payment of snapshot.payments) {
    const booking = payment.bookingId ? bookings.get(payment.bookingId) : undefined;
    const books = payment.providerPaymentId ? provider.get(payment.providerPaymentId) : undefined;
    let message: string | undefined;
    if (LIVE_LEDGER.has(payment.status)) message = `payment ${payment.id} is still ${payment.status} after recovery settled`;
    else if (payment.status === "captured" && booking?.status !== "confirmed") message = `payment ${payment.id} is captured but its booking ${payment.bookingId ?? "(none)"} is ${booking?.status ?? "missing"}`;
    else if (payment.status === "captured" && books?.status !== "captured") message = `payment ${payment.id} is captured in the ledger but ${books?.status ?? "unknown"} at the provider`;
    if (message) violations.push({ invariant: "payments-settled", message, history: around(payment.userId, payment.idempotencyKey) });
  }
  for (const booking of snapshot.bookings) {
    if (booking.status !== "confirmed") continue;
    const captured = snapshot.payments.filter((p) => p.bookingId === booking.id && p.status === "captured");
    if (captured.length !== 1) {
      violations.push({ invariant: "payments-settled", message: `booking ${booking.id} has ${captured.length} captured payments, not one`, history: around(booking.userId, booking.idempotencyKey) });
    }
  }
  for (const record of snapshot.provider) {
    const ledger = record.providerPaymentId ? ledgerByProviderId.get(record.providerPaymentId) : undefined;
    let message: string | undefined;
    if (record.status === "authorized") message = `the provider still holds authorization ${record.providerPaymentId} (${record.idempotencyKey})`;
    else if (record.status === "captured" && ledger?.status !== "captured") message = `the provider captured ${record.providerPaymentId}, which the ledger has as ${ledger?.status ?? "unknown"}`;
    if (message) violations.push({ invariant: "payments-settled", message, history: ledger ? around(ledger.userId, ledger.idempotencyKey) : [] });
  }
  return violations;
}

const PURCHASES = new Set(["confirm", "buy"]);

function acknowledgedDurable(input: CheckInput): Violation[] {
  const { snapshot, history } = input;
  const bookings = new Map(snapshot.bookings.map((b) => [b.id, b]));
  const seatsOf = new Map<string, string[]>();
  for (const item of snapshot.items) if (item.active) seatsOf.set(item.bookingId, [...(seatsOf.get(item.bookingId) ?? []), item.ticketId]);
  const violations: Violation[] = [];
  for (const op of history) {
    if (!PURCHASES.has(op.op) || op.outcome !== "ok") continue;
    const booking = op.bookingId ? bookings.get(op.bookingId) : undefined;
    const seats = (op.bookingId ? seatsOf.get(op.bookingId) : undefined) ?? [];
    let message: string | undefined;
    if (!booking) message = `${op.user} was told booking ${op.bookingId ?? "(no id)"} succeeded (op ${op.id}); the database has no such booking`;
    else if (booking.status !== "confirmed") message = `${op.user}'s acknowledged booking ${booking.id} is ${booking.status}`;
    else if (booking.userId !== op.user) message = `${op.user}'s acknowledged booking ${booking.id} belongs to ${booking.userId}`;
    else if (op.ticketIds.length > 0 && [...op.ticketIds].sort().join() !== [...seats].sort().join()) {
      message = `${op.user}'s acknowledged booking ${booking.id} holds seats ${seats.join(", ")}, not the ${op.ticketIds.join(", ")} it was told`;
    }
    if (message) violations.push({ invariant: "acknowledged-durable", message, history: historyAround(history, { ticketIds: op.ticketIds, keys: [`${op.user}/${op.idempotencyKey}`], at: op.completeAt }) });
  }
  return violations;
}

function refusedNotBooked(input: CheckInput): Violation[] {
  const { snapshot, history } = input;
  const attempts = new Map<string, Operation[]>();
  for (const op of history) {
    if (!PURCHASES.has(op.op) || op.idempotencyKey === undefined) continue;
    const key = `${op.user}/${op.idempotencyKey}`;
    attempts.set(key, [...(attempts.get(key) ?? []), op]);
  }
  const violations: Violation[] = [];
  for (const booking of snapshot.bookings) {
    const key = `${booking.userId}/${booking.idempotencyKey}`;
    const tries = (attempts.get(key) ?? []).sort((a, b) => a.completeAt - b.completeAt);
    const last = tries[tries.length - 1];
    let message: string | undefined;
    if (!last) message = `booking ${booking.id} (${key}) was never asked for by any client`;
    else if (!tries.some((op) => op.outcome === "ok") && last.outcome === "fail") {
      message = `booking ${booking.id} exists, but ${booking.userId} was last told its purchase failed (${last.status}${last.error ? ` ${last.error}` : ""}, op ${last.id})`;
    }
    if (message) violations.push({ invariant: "refused-not-booked", message, history: historyAround(history, { keys: [key], at: last?.completeAt }) });
  }
  return violations;
}

interface Hold {
  op: Operation;
  from: number;
  until: number;
}

/** The holds clients were told they had: from the answer to the first step that gave it up. */
export function holdIntervals(history: Operation[], expirySlackMs = 50): Hold[] {
  const firstUse = new Map<string, number>();
  for (const op of history) {
    if ((op.op === "release" || op.op === "confirm") && op.reservationId) {
      firstUse.set(op.reservationId, Math.min(firstUse.get(op.reservationId) ?? Infinity, op.invokeAt));
    }
  }
  const holds: Hold[] = [];
  for (const op of history) {
    if (op.op !== "reserve" || op.outcome !== "ok" || !op.held || !op.reservationId) continue;
    const until = Math.min(op.expiresAt !== undefined ? op.expiresAt - expirySlackMs : Infinity, firstUse.get(op.reservationId) ?? Infinity);
    if (until > op.completeAt) holds.push({ op, from: op.completeAt, until });
  }
  return holds;
}

/** Slack on the hold TTL for the masters' timers. */
const FORGOTTEN_SLACK_MS = 1_000;

/**
 * Whether a majority of lock masters remembered every hold throughout [from, to]: a master is
 * impaired while down and, having restarted without its keys, until every hold it lost has
 * expired, one hold TTL from its kill (so a restart delayed past the TTL, Redlock's advice, costs
 * nothing more than the downtime). A master that restarted from an append-only file fsynced
 * before every answer lost nothing and is impaired only while down. A partitioned or slow link
 * impairs nothing: its master forgets nothing, it only misses holds taken meanwhile, which the
 * other two remember.
 */
export function quorumIntact(faults: FaultEvent[], lockNodes: number, holdTtlMs: number, from: number, to: number): boolean {
  const impaired = faults
    .filter((f) => f.kind === "restart-redis")
    .map((f) => ({ target: f.target, start: f.startAt, end: f.persistence === "aof-always" ? f.endAt : Math.max(f.endAt, f.startAt + holdTtlMs + FORGOTTEN_SLACK_MS) }));
  const tolerated = Math.floor((lockNodes - 1) / 2);
  const moments = [from, ...impaired.flatMap((i) => [i.start, i.end])].filter((t) => t >= from && t <= to);
  return moments.every((t) => new Set(impaired.filter((i) => i.start <= t && t < i.end).map((i) => i.target)).size <= tolerated);
}

function exclusiveHolds(input: CheckInput): Violation[] {
  const bySeat = new Map<string, Hold[]>();
  for (const hold of holdIntervals(input.history)) {
    for (const seat of hold.op.ticketIds) bySeat.set(seat, [...(bySeat.get(seat) ?? []), hold]);
  }
  const violations: Violation[] = [];
  for (const [seat, holds] of bySeat) {
    holds.sort((a, b) => a.from - b.from);
    for (let i = 0; i < holds.length; i += 1) {
      for (let j = i + 1; j < holds.length && holds[j]!.from < holds[i]!.until; j += 1) {
        const [first, second] = [holds[i]!, holds[j]!];
        if (first.op.reservationId === second.op.reservationId) continue;
        if (!quorumIntact(input.faults, input.lockNodes, input.holdTtlMs, first.op.invokeAt, second.op.completeAt)) continue;
        violations.push({
          invariant: "exclusive-holds",
          message: `seat ${seat} was held by ${first.op.user} (reservation ${first.op.reservationId}, until ${new Date(first.until).toISOString()}) and by ${second.op.user} (reservation ${second.op.reservationId}, from ${new Date(second.from).toISOString()}) with a Redis quorum up`,
          history: historyAround(input.history, { ticketIds: [seat], at: second.from }),
        });
      }
    }
  }
  return violations;
}

/** Every invariant over the settled state and the history; empty when the run was correct. */
export function check(input: CheckInput): Record<InvariantName, Violation[]> {
  return {
    "one-owner": oneOwner(input),
    "payments-settled": paymentsSettled(input),
    "acknowledged-durable": acknowledgedDurable(input),
    "refused-not-booked": refusedNotBooked(input),
    "exclusive-holds": exclusiveHolds(input),
    "search-answerable": input.search ? searchAnswerable(input.history, input.faults, input.search) : [],
    "index-caught-up": input.search ? indexCaughtUp(input.history, input.search) : [],
  };
}

const searchFields = (op: Operation) => `${op.term !== undefined ? ` "${op.term}"` : ""}${op.expect ? ` looking for ${op.expect}` : ""}${op.eventId ? ` event=${op.eventId}` : ""}${op.name ? ` name="${op.name}"` : ""}`;

export function formatViolation(violation: Violation): string {
  const lines = violation.history.map(
    (op) =>
      `    #${op.id} ${new Date(op.invokeAt).toISOString()}…+${op.completeAt - op.invokeAt}ms ${op.user} ${op.op}${op.attempt ? ` try ${op.attempt}` : ""} [${op.ticketIds.join(",")}]` +
      `${op.reservationId ? ` res=${op.reservationId}` : ""}${op.idempotencyKey ? ` key=${op.idempotencyKey}` : ""}${searchFields(op)} → ${op.outcome} ${op.status}${op.bookingId ? ` booking=${op.bookingId}` : ""}` +
      `${op.backend ? ` from ${op.backend}` : ""}${op.found ? ` found=[${op.found.join(",")}]` : ""}${op.error ? ` (${op.error})` : ""}`,
  );
  return [`  ✗ ${violation.invariant}: ${violation.message}`, ...lines].join("\n");
}
