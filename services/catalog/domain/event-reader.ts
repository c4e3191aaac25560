import { notFound } from "../../shared/errors/domain-error.js";
import type { HoldReader } from "../../shared/holds/ticket-holds.js";
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
      const held = new Set((await holds.holders(unbooked)).keys());
      const tickets = mergeTicketStatus(stored, held);
      return { ...found, tickets, sections: summarizeSections(tickets) };
    },
  };
}

export type EventReader = ReturnType<typeof createEventReader>;
