// Row shapes as the drivers return them (pg and PGlite alike): timestamptz → Date, jsonb → parsed
// JSON, uuid[] → string[], char(n) → string padded to n. The migrations are the source of truth;
// these types follow them by hand, so change both together.

export const TABLES = {
  venues: 'venues',
  performers: 'performers',
  events: 'events',
  eventPerformers: 'event_performers',
  tickets: 'tickets',
  bookings: 'bookings',
  bookingItems: 'booking_items',
  payments: 'payments',
} as const;

export type TableName = (typeof TABLES)[keyof typeof TABLES];

export const EVENT_TYPES = [
  'concert',
  'sports',
  'theater',
  'comedy',
  'festival',
  'family',
  'conference',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_STATUSES = ['scheduled', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

// Only what PostgreSQL knows; "reserved" lives in the lock store, never in a row.
export const TICKET_STATUSES = ['available', 'booked'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const BOOKING_STATUSES = ['confirmed', 'cancelled', 'refunded'] as const;
export type CancelReason = 'event_cancelled' | 'refunded_by_admin';
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const PAYMENT_STATUSES = [
  'pending',
  'authorized',
  'captured',
  'voiding',
  'voided',
  'refunding',
  'refunded',
  'declined',
  'failed',
  'capture_failed',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface SeatedSection {
  code: string;
  name: string;
  kind: 'seated';
  rows: Array<{ label: string; seats: number }>;
}

export interface GeneralAdmissionSection {
  code: string;
  name: string;
  kind: 'general_admission';
  capacity: number;
}

export type SeatMapSection = SeatedSection | GeneralAdmissionSection;

export interface SeatMap {
  sections: SeatMapSection[];
}

interface Timestamps {
  created_at: Date;
  updated_at: Date;
}

export interface VenueRow extends Timestamps {
  id: string;
  name: string;
  address: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  capacity: number;
  seat_map: SeatMap;
}

export interface PerformerRow extends Timestamps {
  id: string;
  name: string;
  genre: string;
  description: string;
}

export interface EventRow extends Timestamps {
  id: string;
  name: string;
  description: string;
  type: EventType;
  venue_id: string;
  starts_at: Date;
  ends_at: Date;
  on_sale_at: Date | null;
  high_demand: boolean;
  /** Tickets one account may hold plus have bought (migration 015). */
  purchase_limit: number;
  status: EventStatus;
  currency: string;
  // Maintained by triggers; its text form is only useful for debugging.
  search_vector: string;
}

export interface EventPerformerRow {
  event_id: string;
  performer_id: string;
  billing_order: number;
}

export interface TicketRow extends Timestamps {
  id: string;
  event_id: string;
  section: string;
  // Null for general admission, where seat_number is the running number within the area.
  row_label: string | null;
  seat_number: number | null;
  price_minor: number;
  currency: string;
  status: TicketStatus;
  version: number;
  booking_id: string | null;
}

export interface BookingRow extends Timestamps {
  id: string;
  user_id: string;
  event_id: string;
  status: BookingStatus;
  total_minor: number;
  currency: string;
  idempotency_key: string;
  reservation_id: string | null;
  cancel_reason: CancelReason | null;
  cancelled_at: Date | null;
  refunded_at: Date | null;
}

export interface BookingItemRow extends Timestamps {
  id: string;
  booking_id: string;
  ticket_id: string;
  price_minor: number;
  active: boolean;
}

export interface PaymentRow extends Timestamps {
  id: string;
  user_id: string;
  booking_id: string | null;
  idempotency_key: string;
  provider: string;
  provider_payment_id: string | null;
  amount_minor: number;
  currency: string;
  status: PaymentStatus;
  failure_reason: string | null;
  ticket_ids: string[];
  reservation_id: string | null;
  attempts: number;
  next_attempt_at: Date | null;
}

type DatabaseDefaulted = 'id' | 'created_at' | 'updated_at';

// What an insert must supply: columns with a database default become optional.
export type Insertable<Row, Defaulted extends keyof Row = never> = Omit<
  Row,
  Extract<DatabaseDefaulted, keyof Row> | Defaulted
> &
  Partial<Pick<Row, Extract<DatabaseDefaulted, keyof Row> | Defaulted>>;

export type VenueInsert = Insertable<VenueRow>;
export type PerformerInsert = Insertable<PerformerRow, 'description'>;
export type EventInsert = Insertable<
  EventRow,
  'description' | 'on_sale_at' | 'high_demand' | 'purchase_limit' | 'status' | 'search_vector'
>;
export type EventPerformerInsert = Insertable<EventPerformerRow, 'billing_order'>;
export type TicketInsert = Insertable<
  TicketRow,
  'row_label' | 'seat_number' | 'status' | 'version' | 'booking_id'
>;
export type BookingInsert = Insertable<BookingRow, 'status' | 'reservation_id' | 'cancel_reason' | 'cancelled_at' | 'refunded_at'>;
export type BookingItemInsert = Insertable<BookingItemRow, 'active'>;
export type PaymentInsert = Insertable<
  PaymentRow,
  | 'booking_id'
  | 'provider_payment_id'
  | 'status'
  | 'failure_reason'
  | 'reservation_id'
  | 'attempts'
  | 'next_attempt_at'
>;

export function seatMapCapacity(seatMap: SeatMap): number {
  let total = 0;
  for (const section of seatMap.sections) {
    if (section.kind === 'seated') {
      for (const row of section.rows) total += row.seats;
    } else {
      total += section.capacity;
    }
  }
  return total;
}
