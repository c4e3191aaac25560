import { HoldsUnavailableError, type HoldReader } from "../../shared/holds/ticket-holds.js";

/** The tickets held now, as far as the lock store can tell. */
export interface HeldTickets {
  held: ReadonlySet<string>;
  /** False when too few lock nodes answered to say who holds what: `held` is then empty. */
  known: boolean;
}

/**
 * Holds for the live overlay. Without a quorum of lock nodes nobody can say who holds what, and
 * DESIGN.md says degrade, don't fail: the view shows booked from the database and the rest
 * available, and says the holds are unknown. Any other error is a bug and propagates.
 */
export async function readHeldTickets(holds: HoldReader, ticketIds: readonly string[]): Promise<HeldTickets> {
  try {
    return { held: new Set((await holds.holders(ticketIds)).keys()), known: true };
  } catch (error) {
    if (error instanceof HoldsUnavailableError) return { held: new Set(), known: false };
    throw error;
  }
}
