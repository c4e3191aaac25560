import { DomainError, invalid, notFound } from "../../shared/errors/domain-error.js";
import type { InventoryTicket } from "./booking-types.js";

/**
 * The checks every order passes before anything is held or charged, each failing with the
 * tickets it is about so a client can show which seats to change.
 */
export function checkOrder(
  eventId: string,
  ticketIds: readonly string[],
  found: readonly InventoryTicket[],
  maxTicketsPerOrder: number,
): InventoryTicket[] {
  if (ticketIds.length > maxTicketsPerOrder) {
    throw invalid(`at most ${maxTicketsPerOrder} tickets per order; you asked for ${ticketIds.length}`, { field: "ticket_ids" });
  }
  const repeated = [...new Set(ticketIds.filter((id, index) => ticketIds.indexOf(id) !== index))];
  if (repeated.length > 0) throw invalid(`each ticket once per order; repeated: ${repeated.join(", ")}`, { field: "ticket_ids", ticketIds: repeated });
  const byId = new Map(found.map((ticket) => [ticket.id, ticket]));
  const missing = ticketIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw notFound(`no such tickets: ${missing.join(", ")}`, { field: "ticket_ids", ticketIds: missing });
  const tickets = ticketIds.map((id) => byId.get(id)!);
  const elsewhere = tickets.filter((ticket) => ticket.eventId !== eventId).map((ticket) => ticket.id);
  if (elsewhere.length > 0) {
    throw invalid(`tickets ${elsewhere.join(", ")} belong to another event than ${eventId}`, { field: "ticket_ids", ticketIds: elsewhere });
  }
  const currencies = new Set(tickets.map((ticket) => ticket.currency));
  if (currencies.size > 1) throw invalid("tickets of one order must share a currency", { field: "ticket_ids" });
  const sold = tickets.filter((ticket) => ticket.booked).map((ticket) => ticket.id);
  if (sold.length > 0) {
    throw new DomainError("conflict", `already sold: ${sold.join(", ")}; choose other seats`, { reason: "sold", ticketIds: sold });
  }
  return tickets;
}

export function heldByOthers(ticketIds: readonly string[], ticketIdsTaken: readonly string[]): DomainError {
  return new DomainError("conflict", `held by another buyer: ${ticketIdsTaken.join(", ")}; choose other seats or try again in a few minutes`, {
    reason: "held",
    ticketIds: ticketIdsTaken.length > 0 ? ticketIdsTaken : ticketIds,
  });
}

/** The same tickets in any order. */
export function sameTickets(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}
