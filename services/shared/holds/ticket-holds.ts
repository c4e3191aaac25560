/**
 * Holds on tickets, one lock per ticket under the key `ticket:{id}`, plus a per-event index of
 * the holds (`event-holds:{eventId}`) so a seat map reads all of an event's holds in one read
 * per node instead of one key per seat. The production store is the Redlock algorithm over
 * independent Redis masters; the embedded default keeps them in process. Holds are an
 * optimisation for buyers, never the safety net: PostgreSQL decides who owns a seat.
 */
export type HoldOutcome =
  | { kind: "held"; token: string; expiresAt: Date }
  /** Who holds what, as the refusing lock nodes saw it: ticket id → holder token. */
  | { kind: "taken"; ticketIds: string[]; holders: Map<string, string> }
  | { kind: "unavailable"; reason: string };

/** A record kept beside a hold (a reservation): written in the same step, expiring with it. */
export interface HoldRecord {
  key: string;
  /** The stored value, made once the hold's token and expiry are known. */
  value(hold: { token: string; expiresAt: Date }): string;
}

export interface HoldRequest {
  eventId: string;
  ticketIds: readonly string[];
  ttlMs: number;
  userId: string;
  record?: HoldRecord;
}

export interface ReleaseRequest {
  eventId: string;
  ticketIds: readonly string[];
  /** Compare-and-delete: only tickets still held under this token are released. */
  token: string;
  /** A record kept beside the hold, deleted with it. */
  recordKey?: string;
}

/**
 * Confirm's claim on its seats just before it commits (confirm-booking.ts): every seat must be
 * free or held by this buyer; free ones are held under `token`, and every one is held for at
 * least `ttlMs` from now, the reservation's record with them. A hold that expired during a slow
 * payment is thus re-taken if nobody took it since, and refused if another buyer holds it now.
 */
export interface ClaimRequest {
  eventId: string;
  ticketIds: readonly string[];
  userId: string;
  token: string;
  ttlMs: number;
  recordKey?: string;
}

export type ClaimOutcome =
  | { kind: "claimed" }
  | { kind: "taken"; ticketIds: string[]; holders: Map<string, string> }
  | { kind: "unavailable"; reason: string };

/** One live hold in an event's index. */
export interface EventHold {
  token: string;
  expiresAtMs: number;
}

/** The read side, all the catalog needs for its live overlay. */
export interface HoldReader {
  /** The holder token of each currently held ticket among these (quorum view); see holder-token.ts. */
  holders(ticketIds: readonly string[]): Promise<Map<string, string>>;
  /** Every live hold of one event (quorum view), ticket id → hold: one read per node, whatever the event's size. */
  eventHolds(eventId: string): Promise<Map<string, EventHold>>;
}

export interface TicketHolds extends HoldReader {
  /**
   * Holds every ticket or none for this user; the token (see holder-token.ts) names the user,
   * proves the hold and is needed to release it. A refusal says who holds what.
   */
  hold(request: HoldRequest): Promise<HoldOutcome>;
  release(request: ReleaseRequest): Promise<void>;
  /** Re-verifies and extends the caller's holds (or takes free seats) before a commit; see ClaimRequest. */
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /** A record kept beside holds (majority view): its value, or undefined when gone (expired, released). */
  readRecord(key: string): Promise<string | undefined>;
}

/** The lock store cannot answer (no quorum, breaker open): callers degrade, never fail. */
export class HoldsUnavailableError extends Error {
  override name = "HoldsUnavailableError";
}

export const holdKey = (ticketId: string) => `ticket:${ticketId}`;
export const eventHoldsKey = (eventId: string) => `event-holds:${eventId}`;
/** A ticket's entry in its event's hold index, as hold-scripts.ts writes it and the readers parse it. */
export const eventHoldEntry = (expiresAtMs: number, token: string) => `${expiresAtMs} ${token}`;
