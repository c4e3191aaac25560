import { eventHoldsIfKnown, holdersIfKnown } from "../../shared/holds/holders-if-known.js";
import type { HoldReader } from "../../shared/holds/ticket-holds.js";

/** The tickets held now, as far as the lock store can tell. */
export interface HeldTickets {
  held: ReadonlySet<string>;
  /** False when too few lock nodes answered to say who holds what: `held` is then empty. */
  known: boolean;
}

/** Holds for the live overlay: without a quorum the view says the holds are unknown (holds_unknown). */
export async function readHeldTickets(holds: HoldReader, ticketIds: readonly string[]): Promise<HeldTickets> {
  const holders = await holdersIfKnown(holds, ticketIds);
  return { held: new Set(holders?.keys()), known: holders !== undefined };
}

/**
 * Every hold of one event from its hold index: one read per lock node whatever the event's
 * size, where asking per ticket costs a stadium 50,000 keys per node. Degrades as above.
 */
export async function readEventHolds(holds: HoldReader, eventId: string): Promise<HeldTickets> {
  const index = await eventHoldsIfKnown(holds, eventId);
  return { held: new Set(index?.keys()), known: index !== undefined };
}
