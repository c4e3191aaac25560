import type { Event, EventStatic, TicketSeat } from "./catalog-types.js";

// The cached form of an event's static part. A stadium event has 50,000 tickets; as plain
// objects that is ~6 MB of JSON taking ~50 ms to parse on every read. Seats come in runs
// (same section, row and price, consecutive numbers), so the layout is stored as those runs
// plus the ticket ids: about a third of the size and a quarter of the parse time.

/** Bump the version when the cached shape changes, so old entries are simply never read. */
export const eventCacheKey = (eventId: string) => `catalog:event:v1:${eventId}`;

/** [section, row, first seat, count, price, currency] */
type SeatRun = [string, string | null, number | null, number, number, string];

export interface CachedEventStatic {
  event: Omit<Event, "startsAt" | "endsAt" | "onSaleAt"> & { startsAt: string; endsAt: string; onSaleAt: string | null };
  venue: EventStatic["venue"];
  performers: EventStatic["performers"];
  ticketIds: string[];
  runs: SeatRun[];
}

export function encodeEventStatic({ event, venue, performers, tickets }: EventStatic): CachedEventStatic {
  const runs: SeatRun[] = [];
  let last: SeatRun | undefined;
  for (const ticket of tickets) {
    const continues =
      last !== undefined &&
      last[0] === ticket.section &&
      last[1] === ticket.row &&
      last[4] === ticket.priceMinor &&
      last[5] === ticket.currency &&
      (ticket.seat === null ? last[2] === null : last[2] !== null && last[2] + last[3] === ticket.seat);
    if (continues) {
      last![3] += 1;
    } else {
      last = [ticket.section, ticket.row, ticket.seat, 1, ticket.priceMinor, ticket.currency];
      runs.push(last);
    }
  }
  return {
    event: {
      ...event,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
      onSaleAt: event.onSaleAt?.toISOString() ?? null,
    },
    venue,
    performers,
    ticketIds: tickets.map((ticket) => ticket.id),
    runs,
  };
}

export function decodeEventStatic(cached: CachedEventStatic): EventStatic {
  const tickets: TicketSeat[] = new Array(cached.ticketIds.length);
  let index = 0;
  for (const [section, row, firstSeat, count, priceMinor, currency] of cached.runs) {
    for (let offset = 0; offset < count; offset++) {
      tickets[index] = {
        id: cached.ticketIds[index]!,
        section,
        row,
        seat: firstSeat === null ? null : firstSeat + offset,
        priceMinor,
        currency,
      };
      index++;
    }
  }
  return {
    event: {
      ...cached.event,
      startsAt: new Date(cached.event.startsAt),
      endsAt: new Date(cached.event.endsAt),
      onSaleAt: cached.event.onSaleAt === null ? null : new Date(cached.event.onSaleAt),
    },
    venue: cached.venue,
    performers: cached.performers,
    tickets,
  };
}
