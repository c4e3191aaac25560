import { holderToken } from "./holder-token.js";

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

/** One live hold in a buyer's own index of an event: the hold, and the key of the record kept beside it (their reservation), if any. */
export interface UserHold extends EventHold {
  recordKey?: string;
}

/** A mutex on the lock store (Redlock's lock): taken under a token, or busy (another holds it), or no quorum answered. */
export type LockOutcome = { kind: "locked"; token: string } | { kind: "busy" } | { kind: "unavailable"; reason: string };

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
  /**
   * Every live hold of one buyer in one event (quorum view), ticket id → hold, from the buyer's
   * own index, which the hold, claim and release steps keep: one small read per node, however
   * many holds the event has. Throws HoldsUnavailableError when no quorum answers.
   */
  userHolds(eventId: string, userId: string): Promise<Map<string, UserHold>>;
  /**
   * Takes a mutex on `key` for at most `ttlMs` (Redlock: a majority of the nodes, within its
   * validity), or answers busy at once when another caller has it. Whoever locks must unlock.
   */
  lock(key: string, ttlMs: number): Promise<LockOutcome>;
  /** Compare-and-delete of a lock taken under `token`; best effort (it expires by its TTL). */
  unlock(key: string, token: string): Promise<void>;
}

/** The lock store cannot answer (no quorum, breaker open): callers degrade, never fail. */
export class HoldsUnavailableError extends Error {
  override name = "HoldsUnavailableError";
}

export const holdKey = (ticketId: string) => `ticket:${ticketId}`;
export const eventHoldsKey = (eventId: string) => `event-holds:${eventId}`;
/** A buyer's own index of their holds in one event, named by the user part of their hold tokens (holder-token.ts). */
export const userHoldsKey = (eventId: string, token: string) => `user-holds:${eventId}:${token.slice(0, Math.max(0, token.indexOf(".")))}`;
/** The same key from the user's id. */
export const userHoldsKeyOf = (eventId: string, userId: string) => userHoldsKey(eventId, holderToken(userId, ""));
/** A ticket's entry in its event's hold index, as hold-scripts.ts writes it and the readers parse it. */
export const eventHoldEntry = (expiresAtMs: number, token: string) => `${expiresAtMs} ${token}`;
