/**
 * Holds on tickets, one lock per ticket under the key `ticket:{id}`. The production store is
 * Redlock over independent Redis masters; the embedded default keeps them in process. Holds
 * are an optimisation for buyers, never the safety net: PostgreSQL decides who owns a seat.
 */
export type HoldOutcome =
  | { kind: "held"; expiresAt: Date }
  | { kind: "taken"; ticketIds: string[] }
  | { kind: "unavailable"; reason: string };

/** The read side, all the catalog needs for its live overlay. */
export interface HoldReader {
  /** The holder of each currently held ticket among these. */
  holders(ticketIds: readonly string[]): Promise<Map<string, string>>;
}

export interface TicketHolds extends HoldReader {
  /** Holds every ticket for the holder or none of them. */
  hold(ticketIds: readonly string[], holder: string, ttlMs: number): Promise<HoldOutcome>;
  /** Releases the tickets this holder holds; others' holds are left alone. */
  release(ticketIds: readonly string[], holder: string): Promise<void>;
}

export const holdKey = (ticketId: string) => `ticket:${ticketId}`;
