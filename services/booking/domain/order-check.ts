import { invalid, notFound } from "../../shared/errors/domain-error.js";
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
 * Without an event id (the seed's `{"ticketId": ...}`), the tickets name their event first.
 */
export function createOrderCheck(deps: OrderCheckDeps) {
  const now = deps.clock ?? (() => new Date());
  return async (givenEventId: string, ticketIds: readonly string[]): Promise<{ event: SaleEvent; tickets: InventoryTicket[] }> => {
    const eventId = givenEventId || (await eventOfTickets(deps.inventory, ticketIds));
    const { event, tickets: found } = deps.inventory.findOrder
      ? await deps.inventory.findOrder(eventId, ticketIds)
      : await Promise.all([deps.inventory.findEvent(eventId), deps.inventory.findTickets(ticketIds)]).then(([event, tickets]) => ({ event, tickets }));
    if (!event) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
    return { event, tickets: checkOrder(event, ticketIds, found, { maxTicketsPerOrder: deps.settings.maxTicketsPerOrder, now: now() }) };
  };
}

/** The one event the tickets belong to; an order spans one event, and its tickets must exist. */
async function eventOfTickets(inventory: TicketInventory, ticketIds: readonly string[]): Promise<string> {
  const tickets = await inventory.findTickets(ticketIds);
  const events = [...new Set(tickets.map((ticket) => ticket.eventId))];
  if (events.length > 1) throw invalid("these tickets belong to more than one event: order one event's tickets at a time", { field: "ticket_ids" });
  const missing = ticketIds.filter((id) => !tickets.some((ticket) => ticket.id === id));
  if (events.length === 0 || missing.length > 0) throw notFound(`no such ticket: ${(missing.length > 0 ? missing : ticketIds).join(", ")}`, { field: "ticket_ids", missing });
  return events[0]!;
}
