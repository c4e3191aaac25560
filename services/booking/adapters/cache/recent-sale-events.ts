import { LRUCache } from "lru-cache";
import type { TicketInventory } from "../../domain/booking-ports.js";
import type { SaleEvent } from "../../domain/booking-types.js";

/**
 * The inventory with each event's sale facts (status, sale window, time zone, section names)
 * remembered for a moment: during an on-sale every reserve asks about the same event, and a
 * hold is only a promise. Never past the next edge of the sale window, so sales open and close
 * to the millisecond. Confirm, which takes money, reads the database every time: a
 * cancellation stops holds within `memoryMs` and sales at once. 0 remembers nothing.
 */
export function withRecentSaleEvents(inventory: TicketInventory, memoryMs: number, now: () => number = Date.now): TicketInventory {
  if (memoryMs <= 0) return inventory;
  const events = new LRUCache<string, { event: SaleEvent | undefined }>({ max: 10_000, ttl: memoryMs, ttlResolution: 0, perf: { now } });
  const remember = (eventId: string, event: SaleEvent | undefined) => {
    const at = now();
    const nextEdge = [event?.onSaleAt?.getTime(), event?.startsAt.getTime()].filter((edge): edge is number => edge !== undefined && edge > at);
    // lru-cache serves an entry while its age is at most its TTL: stop a millisecond before the edge.
    const ttl = Math.min(memoryMs, ...nextEdge.map((edge) => edge - at - 1));
    if (ttl > 0) events.set(eventId, { event }, { ttl });
  };
  return {
    ...inventory,
    async findEvent(eventId) {
      const known = events.get(eventId);
      if (known) return known.event;
      const event = await inventory.findEvent(eventId);
      remember(eventId, event);
      return event;
    },
    // A remembered event leaves only the tickets to read; else both come in one round trip.
    async findOrder(eventId, ticketIds) {
      const known = events.get(eventId);
      if (known) return { event: known.event, tickets: known.event ? await inventory.findTickets(ticketIds) : [] };
      const order = inventory.findOrder ? await inventory.findOrder(eventId, ticketIds) : { event: await inventory.findEvent(eventId), tickets: await inventory.findTickets(ticketIds) };
      remember(eventId, order.event);
      return order;
    },
  };
}
