/** The catalog's own vocabulary, free of wire and storage types. */

export type EventType = "concert" | "sports" | "theater" | "comedy" | "festival" | "family" | "conference";
export const EVENT_TYPES: readonly EventType[] = ["concert", "sports", "theater", "comedy", "festival", "family", "conference"];

export type TicketStatus = "available" | "reserved" | "booked";

export interface SeatedSection {
  code: string;
  name: string;
  kind: "seated";
  rows: Array<{ label: string; seats: number }>;
}

export interface GeneralAdmissionSection {
  code: string;
  name: string;
  kind: "general_admission";
  capacity: number;
}

export interface SeatMap {
  sections: Array<SeatedSection | GeneralAdmissionSection>;
}

export interface Venue {
  id: string;
  name: string;
  address: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  capacity: number;
  seatMap: SeatMap;
}

export interface Performer {
  id: string;
  name: string;
  genre: string;
  description: string;
}

export interface Event {
  id: string;
  name: string;
  description: string;
  type: EventType;
  status: "scheduled" | "cancelled";
  venueId: string;
  startsAt: Date;
  endsAt: Date;
  onSaleAt: Date | null;
  highDemand: boolean;
  /** Tickets one account may hold plus have bought of this event (booking enforces it). */
  purchaseLimit: number;
  currency: string;
  performerIds: string[];
}

/** A ticket's place and price: fixed once the event's tickets are generated. */
export interface TicketSeat {
  id: string;
  section: string;
  /** Null for general admission. */
  row: string | null;
  /** Seat number in the row; for general admission, the running number within the area. */
  seat: number | null;
  priceMinor: number;
  currency: string;
}

export interface LiveTicket extends TicketSeat {
  status: TicketStatus;
}

/** What only the admin APIs change, so it can be cached: everything but the ticket statuses. */
export interface EventStatic {
  event: Event;
  venue: Venue;
  performers: Performer[];
  tickets: TicketSeat[];
}

export interface SectionSummary {
  section: string;
  priceMinor: number;
  currency: string;
  available: number;
  reserved: number;
  booked: number;
}

export interface EventView {
  event: Event;
  venue: Venue;
  performers: Performer[];
  tickets: LiveTicket[];
  sections: SectionSummary[];
  /** False when the lock store could not be read: tickets not booked show available, held or not. */
  holdsKnown: boolean;
}

/** One ticket's new status, as streamed to watchers. */
export interface TicketStatusUpdate {
  ticketId: string;
  status: TicketStatus;
}

// Admin input as received, before the rules in venue-rules.ts and event-rules.ts accept it.

export interface SectionDraft {
  code: string;
  name: string;
  rows: Array<{ label: string; seats: number }>;
  generalAdmissionCapacity: number;
}

export type VenueDraft = Omit<Venue, "id" | "capacity" | "seatMap"> & { seatMap: { sections: SectionDraft[] } };

export interface PerformerDraft {
  name: string;
  genre: string;
  description: string;
}

export interface PriceTierDraft {
  section: string;
  priceMinor: number;
  currency: string;
}

export interface EventDraft {
  name: string;
  description: string;
  type: EventType;
  venueId: string;
  startsAt: Date;
  endsAt: Date;
  onSaleAt: Date | null;
  highDemand: boolean;
  /** Unset: the default when the event is created, unchanged when it is updated. */
  purchaseLimit?: number | undefined;
  performerIds: string[];
  priceTiers: PriceTierDraft[];
}
