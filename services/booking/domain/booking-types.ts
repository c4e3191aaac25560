export interface BookedTicket {
  ticketId: string;
  section: string;
  row: string | null;
  seat: number | null;
  priceMinor: number;
}

export interface Booking {
  id: string;
  userId: string;
  eventId: string;
  /** 'cancelled': its refund is under way; 'refunded': every payment behind it was given back. */
  status: "confirmed" | "cancelled" | "refunded";
  tickets: BookedTicket[];
  totalMinor: number;
  currency: string;
  createdAt: Date;
  /** Why and when it stopped standing; absent while confirmed. */
  cancellation?: { reason: CancelReason; cancelledAt: Date; refundedAt: Date | null };
}

/** 'event_cancelled': the seats stay off sale; 'refunded_by_admin': they went back on sale. */
export type CancelReason = "event_cancelled" | "refunded_by_admin";

/** A hold on some tickets of one event, owned by one user. Lives in the lock store, not in rows. */
export interface Reservation {
  id: string;
  userId: string;
  eventId: string;
  ticketIds: string[];
  /** The lock value that proves the hold; never leaves the service. */
  holdToken: string;
  expiresAt: Date;
}

export type ReserveOutcome =
  | { kind: "held"; reservation: Reservation }
  /** The lock store is down: nothing is held, but the buyer may confirm by ticket ids. */
  | { kind: "degraded"; eventId: string; ticketIds: string[]; message: string };

/** An event as an order needs it: whether it sells now, and how its seats are named to a buyer. */
export interface SaleEvent {
  id: string;
  name: string;
  status: "scheduled" | "cancelled";
  /** When sales open; null when the event has sold from the moment it was listed. */
  onSaleAt: Date | null;
  startsAt: Date;
  /** The venue's IANA time zone: times in messages are read at the venue. */
  timeZone: string;
  /** Section code → the name on the venue's seat map. */
  sectionNames: Readonly<Record<string, string>>;
  /** Sold only to buyers its waiting room admitted (admission-gate.ts); absent means not. */
  highDemand?: boolean;
  /** Tickets one account may hold plus have bought of this event (purchase-limit.ts). */
  purchaseLimit: number;
}

/** A ticket as the database knows it. */
export interface InventoryTicket {
  id: string;
  eventId: string;
  section: string;
  row: string | null;
  seat: number | null;
  priceMinor: number;
  currency: string;
  booked: boolean;
}

export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  holderName: string;
}
