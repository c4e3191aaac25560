import type { LiveTicket, SectionSummary, StoredTicket } from "./catalog-types.js";

/**
 * A ticket's live state: booked in the database wins; otherwise reserved while a hold exists;
 * otherwise available. A hold on a booked ticket (a buyer who lost the race) shows booked.
 */
export function mergeTicketStatus(tickets: readonly StoredTicket[], held: ReadonlySet<string>): LiveTicket[] {
  return tickets.map(({ booked, ...ticket }) => ({
    ...ticket,
    status: booked ? "booked" : held.has(ticket.id) ? "reserved" : "available",
  }));
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
