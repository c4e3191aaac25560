import { HoldsUnavailableError, type HoldReader } from "./ticket-holds.js";

/**
 * The holders of these tickets, or undefined when too few lock nodes answer for anyone to say.
 * DESIGN.md: Redis down degrades, never fails — the catalog then shows the unbooked seats as
 * available, and a confirm lets the database decide. Any other error is a bug and propagates.
 */
export async function holdersIfKnown(reader: HoldReader, ticketIds: readonly string[]): Promise<Map<string, string> | undefined> {
  try {
    return await reader.holders(ticketIds);
  } catch (error) {
    if (error instanceof HoldsUnavailableError) return undefined;
    throw error;
  }
}
