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
  currency: string;
  performerIds: string[];
}

/** A ticket as stored: the database knows only available or booked. */
export interface StoredTicket {
  id: string;
  section: string;
  row: string | null;
  seat: number | null;
  priceMinor: number;
  currency: string;
  booked: boolean;
}

export interface LiveTicket extends Omit<StoredTicket, "booked"> {
  status: TicketStatus;
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
}
