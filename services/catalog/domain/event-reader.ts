import { notFound } from "../../shared/errors/domain-error.js";
import { HoldsUnavailableError, type HoldReader } from "../../shared/holds/ticket-holds.js";
import type { Event, EventView, Performer, StoredTicket, Venue } from "./catalog-types.js";
import { mergeTicketStatus, summarizeSections } from "./ticket-status.js";

/** What the catalog reads from its store. */
export interface EventStore {
  findEvent(eventId: string): Promise<{ event: Event; venue: Venue; performers: Performer[] } | undefined>;
  /** Every ticket of the event with its booked flag, read live. */
  listTickets(eventId: string): Promise<StoredTicket[]>;
}

export interface EventReaderDeps {
  store: EventStore;
  holds: HoldReader;
}

/** GetEvent: the event's static part, then the live overlay of booked (database) and held (locks). */
export function createEventReader({ store, holds }: EventReaderDeps) {
  return {
    async getEvent(eventId: string): Promise<EventView> {
      const found = await store.findEvent(eventId);
      if (!found) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
      const stored = await store.listTickets(eventId);
      const unbooked = stored.filter((ticket) => !ticket.booked).map((ticket) => ticket.id);
      const held = new Set((await holdsOrNone(holds, unbooked)).keys());
      const tickets = mergeTicketStatus(stored, held);
      return { ...found, tickets, sections: summarizeSections(tickets) };
    },
  };
}

/** Views favour availability: without a lock quorum the page shows no holds rather than an error. */
async function holdsOrNone(holds: HoldReader, ticketIds: string[]): Promise<Map<string, string>> {
  try {
    return await holds.holders(ticketIds);
  } catch (error) {
    if (error instanceof HoldsUnavailableError) return new Map();
    throw error;
  }
}

export type EventReader = ReturnType<typeof createEventReader>;
