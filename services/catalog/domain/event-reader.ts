import { cached, type Cache } from "../../shared/cache/cache.js";
import { sharedWork } from "../../shared/cancellation/shared-work.js";
import { notFound } from "../../shared/errors/domain-error.js";
import type { HoldReader } from "../../shared/holds/ticket-holds.js";
import type { EventStatic, EventView } from "./catalog-types.js";
import { decodeEventStatic, encodeEventStatic, eventCacheKey } from "./event-cache.js";
import { readEventHolds } from "./held-tickets.js";
import { byLayout } from "./seat-map.js";
import { mergeTicketStatus, summarizeSections } from "./ticket-status.js";

/** What the catalog reads from its store. */
export interface EventStore {
  /** Event, venue, performers and every ticket's place and price, in any order; undefined if unknown. Stops when the signal aborts. */
  loadEvent(eventId: string, signal?: AbortSignal): Promise<EventStatic | undefined>;
  /** The event's booked tickets, read live. */
  bookedTicketIds(eventId: string): Promise<string[]>;
  /** Which of these tickets are booked, read live. */
  bookedAmong(eventId: string, ticketIds: readonly string[]): Promise<string[]>;
}

export interface EventReaderDeps {
  store: EventStore;
  holds: HoldReader;
  cache: Cache;
  /** A safety net only: admin updates invalidate the entry at once. */
  cacheTtlMs: number;
}

/** GetEvent: the cached static part, then the live overlay of booked (database) and held (locks). */
export function createEventReader({ store, holds, cache, cacheTtlMs }: EventReaderDeps) {
  // When a hot event goes on sale, thousands of views arrive at once: they share one cache read
  // (or, cold, one database read) per process instead of each fetching and decoding megabytes.
  // The read stops only when every caller waiting for it has left (shared-work.ts).
  const join = sharedWork<string, EventStatic>();

  async function fetchStaticPart(eventId: string, signal: AbortSignal): Promise<EventStatic> {
    const entry = await cached(cache, eventCacheKey(eventId), cacheTtlMs, async () => {
      const found = await store.loadEvent(eventId, signal);
      // Thrown, not cached: an event created a moment later must be visible at once.
      if (!found) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
      found.tickets.sort(byLayout(found.venue.seatMap));
      return encodeEventStatic(found);
    });
    return decodeEventStatic(entry);
  }

  /** The event's static part, shared read-only by every caller waiting for it; a caller whose signal aborts stops waiting. */
  function staticPart(eventId: string, signal?: AbortSignal): Promise<EventStatic> {
    return join(eventId, (stop) => fetchStaticPart(eventId, stop), signal);
  }

  return {
    staticPart,

    async getEvent(eventId: string, signal?: AbortSignal): Promise<EventView> {
      const { tickets, ...rest } = await staticPart(eventId, signal);
      // Booked rows by index, holds from the event's hold index (one read per lock node, not
      // one key per seat); both at once.
      const [bookedIds, { held, known }] = await Promise.all([store.bookedTicketIds(eventId), readEventHolds(holds, eventId)]);
      const booked = new Set(bookedIds);
      const live = mergeTicketStatus(tickets, booked, held);
      return { ...rest, tickets: live, sections: summarizeSections(live), holdsKnown: known };
    },
  };
}

export type EventReader = ReturnType<typeof createEventReader>;
