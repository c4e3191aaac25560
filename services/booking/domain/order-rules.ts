import { DomainError, invalid, notFound } from "../../shared/errors/domain-error.js";
import type { InventoryTicket, SaleEvent } from "./booking-types.js";
import { checkSaleOpen } from "./sale-window.js";
import { seatNames } from "./seat-names.js";

/**
 * The checks every order passes before anything is held or charged, each failing with the
 * tickets it is about: their seats in the message for the buyer, their ids in the details so a
 * client can show which seats to change. A wrong request is refused before the state of the
 * event and its seats: first the request's own faults, then the sale window, then sold seats.
 */
export function checkOrder(
  event: SaleEvent,
  ticketIds: readonly string[],
  found: readonly InventoryTicket[],
  rules: { maxTicketsPerOrder: number; now: Date },
): InventoryTicket[] {
  const { maxTicketsPerOrder } = rules;
  if (ticketIds.length > maxTicketsPerOrder) {
    throw invalid(`at most ${maxTicketsPerOrder} tickets per order; you asked for ${ticketIds.length}`, { field: "ticket_ids" });
  }
  const repeated = [...new Set(ticketIds.filter((id, index) => ticketIds.indexOf(id) !== index))];
  if (repeated.length > 0) throw invalid(`each ticket once per order; repeated: ${repeated.join(", ")}`, { field: "ticket_ids", ticketIds: repeated });
  const byId = new Map(found.map((ticket) => [ticket.id, ticket]));
  const missing = ticketIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw notFound(`no such tickets: ${missing.join(", ")}`, { field: "ticket_ids", ticketIds: missing });
  const tickets = ticketIds.map((id) => byId.get(id)!);
  const elsewhere = tickets.filter((ticket) => ticket.eventId !== event.id);
  if (elsewhere.length > 0) {
    // Their sections are another venue's: this event's names could mislabel them.
    throw invalid(`${seatNames(elsewhere)} belong${elsewhere.length === 1 ? "s" : ""} to another event than ${event.name}`, {
      field: "ticket_ids",
      ticketIds: elsewhere.map((ticket) => ticket.id),
    });
  }
  const currencies = new Set(tickets.map((ticket) => ticket.currency));
  if (currencies.size > 1) throw invalid("tickets of one order must share a currency", { field: "ticket_ids" });
  checkSaleOpen(event, rules.now);
  const sold = tickets.filter((ticket) => ticket.booked);
  if (sold.length > 0) {
    throw new DomainError("conflict", `already sold: ${seatNames(sold, event.sectionNames)}; choose other seats`, {
      reason: "sold",
      ticketIds: sold.map((ticket) => ticket.id),
    });
  }
  return tickets;
}

/** Some of an order's tickets are held by another buyer (all of them when the lock store does not say which). */
export function heldByOthers(event: SaleEvent, tickets: readonly InventoryTicket[], ticketIdsTaken: readonly string[]): DomainError {
  const taken = ticketIdsTaken.length > 0 ? tickets.filter((ticket) => ticketIdsTaken.includes(ticket.id)) : tickets;
  return new DomainError("conflict", `held by another buyer: ${seatNames(taken, event.sectionNames)}; choose other seats or try again in a few minutes`, {
    reason: "held",
    ticketIds: taken.map((ticket) => ticket.id),
  });
}

/**
 * Some of an order's tickets the caller holds already, in another reservation (or across
 * several): not "held by another buyer". Reserving exactly one reservation's seats again answers
 * with that reservation instead (reserve-tickets.ts).
 */
export function heldByYou(event: SaleEvent, own: readonly InventoryTicket[], reservationId: string | undefined): DomainError {
  const where = reservationId ? `in your reservation ${reservationId}` : "in another of your reservations";
  return new DomainError(
    "conflict",
    `you already hold ${seatNames(own, event.sectionNames)} ${where}; confirm or release it, or reserve the other seats on their own`,
    { reason: "held_by_you", ticketIds: own.map((ticket) => ticket.id), ...(reservationId ? { reservationId } : {}) },
  );
}

/** The same tickets in any order. */
export function sameTickets(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}
