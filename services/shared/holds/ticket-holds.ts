/**
 * Holds on tickets, one lock per ticket under the key `ticket:{id}`. The production store is
 * Redlock over independent Redis masters; the embedded default keeps them in process. Holds
 * are an optimisation for buyers, never the safety net: PostgreSQL decides who owns a seat.
 */
export type HoldOutcome =
  | { kind: "held"; token: string; expiresAt: Date }
  | { kind: "taken"; ticketIds: string[] }
  | { kind: "unavailable"; reason: string };

/** The read side, all the catalog needs for its live overlay. */
export interface HoldReader {
  /** The holder token of each currently held ticket among these (quorum view); see holder-token.ts. */
  holders(ticketIds: readonly string[]): Promise<Map<string, string>>;
}

export interface TicketHolds extends HoldReader {
  /**
   * Holds every ticket or none for this user; the token (see holder-token.ts) names the user,
   * proves the hold and is needed to release it.
   */
  hold(ticketIds: readonly string[], ttlMs: number, userId: string): Promise<HoldOutcome>;
  /** Compare-and-delete: only tickets still held under this token are released. */
  release(ticketIds: readonly string[], token: string): Promise<void>;
}

/** The lock store cannot answer (no quorum, breaker open): callers degrade, never fail. */
export class HoldsUnavailableError extends Error {
  override name = "HoldsUnavailableError";
}

export const holdKey = (ticketId: string) => `ticket:${ticketId}`;
