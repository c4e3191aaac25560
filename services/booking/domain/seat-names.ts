import type { InventoryTicket } from "./booking-types.js";

/**
 * Tickets the way a buyer sees them on the seat map: "Main Room row A seat 3" for a seat,
 * the area's name for general admission ("2 places in Floor (standing)" for more than one).
 * Section names come from the event's venue; a code without one is shown as it is.
 */
export function seatNames(tickets: readonly InventoryTicket[], sectionNames: Readonly<Record<string, string>> = {}): string {
  const nameOf = (code: string) => sectionNames[code] ?? code;
  const labels: string[] = [];
  const standing = new Map<string, number>();
  for (const ticket of tickets) {
    if (ticket.row === null) standing.set(ticket.section, (standing.get(ticket.section) ?? 0) + 1);
    else labels.push(`${nameOf(ticket.section)} row ${ticket.row} seat ${ticket.seat}`);
  }
  for (const [code, count] of standing) labels.push(count === 1 ? nameOf(code) : `${count} places in ${nameOf(code)}`);
  return labels.join(", ");
}
