/**
 * Ticket status changes fanned out to every replica that watches an event: booking publishes
 * reserved / released / booked, the catalog streams them to browsers (WatchEventTickets).
 * Delivery is best effort: a watcher that missed a message still converges on its next
 * snapshot, because the database and the lock store stay the truth.
 */
export type TicketChangeStatus = "available" | "reserved" | "booked";

export interface TicketStatusChange {
  ticketId: string;
  status: TicketChangeStatus;
}

export type Unsubscribe = () => Promise<void>;

export interface TicketStatusBus {
  publish(eventId: string, changes: readonly TicketStatusChange[]): Promise<void>;
  subscribe(eventId: string, listener: (changes: TicketStatusChange[]) => void): Promise<Unsubscribe>;
}

export const ticketStatusChannel = (eventId: string) => `ticket-status:${eventId}`;
