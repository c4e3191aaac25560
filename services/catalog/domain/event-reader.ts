import { cached, type Cache } from "../../shared/cache/cache.js";
import { notFound } from "../../shared/errors/domain-error.js";
import type { HoldReader } from "../../shared/holds/ticket-holds.js";
import type { EventStatic, EventView } from "./catalog-types.js";
import { decodeEventStatic, encodeEventStatic, eventCacheKey } from "./event-cache.js";
import { readEventHolds } from "./held-tickets.js";
import { byLayout } from "./seat-map.js";
import { mergeTicketStatus, summarizeSections } from "./ticket-status.js";

/** What the catalog reads from its store. */
export interface EventStore {
  /** Event, venue, performers and every ticket's place and price, in any order; undefined if unknown. */
  loadEvent(eventId: string): Promise<EventStatic | undefined>;
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
  const inFlight = new Map<string, Promise<EventStatic>>();

  async function fetchStaticPart(eventId: string): Promise<EventStatic> {
    const entry = await cached(cache, eventCacheKey(eventId), cacheTtlMs, async () => {
      const found = await store.loadEvent(eventId);
      // Thrown, not cached: an event created a moment later must be visible at once.
      if (!found) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
      found.tickets.sort(byLayout(found.venue.seatMap));
      return encodeEventStatic(found);
    });
    return decodeEventStatic(entry);
  }

  /** The event's static part, shared read-only by every caller waiting for it. */
  function staticPart(eventId: string): Promise<EventStatic> {
    let pending = inFlight.get(eventId);
    if (!pending) {
      pending = fetchStaticPart(eventId).finally(() => inFlight.delete(eventId));
      inFlight.set(eventId, pending);
    }
    return pending;
  }

  return {
    staticPart,

    async getEvent(eventId: string): Promise<EventView> {
      const { tickets, ...rest } = await staticPart(eventId);
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
