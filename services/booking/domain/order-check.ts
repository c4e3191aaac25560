import { notFound } from "../../shared/errors/domain-error.js";
import type { BookingSettings, TicketInventory } from "./booking-ports.js";
import type { InventoryTicket, SaleEvent } from "./booking-types.js";
import { checkOrder } from "./order-rules.js";

export interface OrderCheckDeps {
  inventory: TicketInventory;
  settings: BookingSettings;
  clock?: () => Date;
}

/**
 * What reserve and confirm both ask of the database before holding or charging anything: the
 * event (one query) and the tickets (one query), then the order rules, sale window included.
 */
export function createOrderCheck(deps: OrderCheckDeps) {
  const now = deps.clock ?? (() => new Date());
  return async (eventId: string, ticketIds: readonly string[]): Promise<{ event: SaleEvent; tickets: InventoryTicket[] }> => {
    const { event, tickets: found } = deps.inventory.findOrder
      ? await deps.inventory.findOrder(eventId, ticketIds)
      : await Promise.all([deps.inventory.findEvent(eventId), deps.inventory.findTickets(ticketIds)]).then(([event, tickets]) => ({ event, tickets }));
    if (!event) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
    return { event, tickets: checkOrder(event, ticketIds, found, { maxTicketsPerOrder: deps.settings.maxTicketsPerOrder, now: now() }) };
  };
}
