import type { LiveTicket, SectionSummary, TicketSeat, TicketStatus } from "./catalog-types.js";

/**
 * A ticket's live state: booked in the database wins; otherwise reserved while a hold exists;
 * otherwise available. A hold on a booked ticket (a buyer who lost the race) shows booked.
 */
export function liveStatus(ticketId: string, booked: ReadonlySet<string>, held: ReadonlySet<string>): TicketStatus {
  return booked.has(ticketId) ? "booked" : held.has(ticketId) ? "reserved" : "available";
}

export function mergeTicketStatus(
  tickets: readonly TicketSeat[],
  booked: ReadonlySet<string>,
  held: ReadonlySet<string>,
): LiveTicket[] {
  return tickets.map((ticket) => ({ ...ticket, status: liveStatus(ticket.id, booked, held) }));
}

/** Counts by status per section and price, in the order sections first appear. */
export function summarizeSections(tickets: readonly LiveTicket[]): SectionSummary[] {
  const summaries = new Map<string, SectionSummary>();
  for (const ticket of tickets) {
    const key = `${ticket.section}\u0000${ticket.priceMinor}\u0000${ticket.currency}`;
    let summary = summaries.get(key);
    if (!summary) {
      summary = { section: ticket.section, priceMinor: ticket.priceMinor, currency: ticket.currency, available: 0, reserved: 0, booked: 0 };
      summaries.set(key, summary);
    }
    summary[ticket.status] += 1;
  }
  return [...summaries.values()];
}
