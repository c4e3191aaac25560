import { HoldsUnavailableError, type EventHold, type HoldReader } from "./ticket-holds.js";

/**
 * A read of the lock store, or undefined when too few lock nodes answer for anyone to say.
 * DESIGN.md: Redis down degrades, never fails — the catalog then shows the unbooked seats as
 * available, and a confirm lets the database decide. Any other error is a bug and propagates.
 */
async function ifKnown<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HoldsUnavailableError) return undefined;
    throw error;
  }
}

/** The holders of these tickets, if the lock store can say. */
export function holdersIfKnown(reader: HoldReader, ticketIds: readonly string[]): Promise<Map<string, string> | undefined> {
  return ifKnown(() => reader.holders(ticketIds));
}

/** Every hold of one event from its hold index, if the lock store can say. */
export function eventHoldsIfKnown(reader: HoldReader, eventId: string): Promise<Map<string, EventHold> | undefined> {
  return ifKnown(() => reader.eventHolds(eventId));
}
