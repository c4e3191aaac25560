import type { Booking, InventoryTicket, Reservation, SaleEvent } from "./booking-types.js";
import type { HoldRecord } from "../../shared/holds/ticket-holds.js";
import type { PaymentProvider } from "./payment-provider.js";
import type { AdmissionGate } from "./admission-gate.js";

/** A reservation before its hold is taken: the hold gives it its token and expiry. */
export type ReservationDraft = Omit<Reservation, "holdToken" | "expiresAt">;

/**
 * Reservations by id, kept beside the holds with the same TTL: the hold stores the record in
 * the same step (`record`), its release deletes it (`recordKey`). `find` answers undefined only
 * when the store knows there is no such reservation; when it cannot answer (no quorum of lock
 * nodes) it throws HoldsUnavailableError, so a buyer is never told a live hold does not exist.
 */
export interface ReservationStore {
  record(draft: ReservationDraft): HoldRecord;
  recordKey(reservationId: string): string;
  /** The reservation a record key names (the buyer's hold index keeps the key); undefined for a key that is not a reservation's. */
  reservationIdOf(recordKey: string): string | undefined;
  find(reservationId: string): Promise<Reservation | undefined>;
}

/** The tickets and bookings in PostgreSQL. */
export interface TicketInventory {
  /** The event with its venue's time zone and section names, in one query; undefined when there is none. */
  findEvent(eventId: string): Promise<SaleEvent | undefined>;
  findTickets(ticketIds: readonly string[]): Promise<InventoryTicket[]>;
  /** findEvent and findTickets in one round trip, where the store can (no tickets without the event). */
  findOrder?(eventId: string, ticketIds: readonly string[]): Promise<{ event: SaleEvent | undefined; tickets: InventoryTicket[] }>;
  findBookingByIdempotencyKey(userId: string, idempotencyKey: string): Promise<Booking | undefined>;
  /** How many of the event's tickets the user has in confirmed bookings (the purchase limit counts them). */
  countBought(userId: string, eventId: string): Promise<number>;
  /**
   * One transaction: the pending payment is recorded authorized (with the provider's id), the
   * conditional update available → booked must touch every ticket, the booking and its items
   * are inserted, and the payment is tied to the booking. A lost sale answers why, and whether
   * the authorization was recorded (then the ledger row is 'authorized', else still 'pending').
   * A transaction the database stopped (statement or lock timeout) rolled back whole: database_busy.
   * The purchase limit is checked in the same transaction, serialised per buyer and event: a
   * booking that would take the buyer past it is lost with what they have bought and the limit.
   */
  bookTickets(order: BookingOrder): Promise<
    | { kind: "booked"; booking: Booking }
    | { kind: "lost"; reason: "seat_taken" | "payment_not_authorized" | "database_busy" | "event_cancelled"; paymentRecorded: boolean }
    | { kind: "lost"; reason: "purchase_limit"; paymentRecorded: boolean; bought: number; limit: number }
  >;
}

export interface BookingOrder {
  bookingId: string;
  userId: string;
  eventId: string;
  tickets: InventoryTicket[];
  totalMinor: number;
  currency: string;
  idempotencyKey: string;
  reservationId: string | null;
  paymentId: string;
  /** The provider's authorization, recorded on the payment in the same transaction. */
  providerPaymentId: string;
}

/**
 * 'voiding': claimed to give the money back (no booking can attach it any more);
 * 'capture_failed': the dead letter of a capture that failed on every attempt, for an operator.
 */
export type PaymentStatus = "pending" | "authorized" | "captured" | "voiding" | "voided" | "refunding" | "refunded" | "declined" | "failed" | "capture_failed";

export interface PaymentRecord {
  id: string;
  userId: string;
  bookingId: string | null;
  /** The buyer's key as sent: unique per user (userId, idempotencyKey), never across users. */
  idempotencyKey: string;
  providerPaymentId: string | null;
  amountMinor: number;
  currency: string;
  status: PaymentStatus;
  failureReason: string | null;
  ticketIds: string[];
  /** The reservation the confirm named, if any: part of what the idempotency key stands for. */
  reservationId: string | null;
  /** How many times recovery has claimed the payment: bounds the retries of a capture. */
  attempts: number;
  updatedAt: Date;
}

/**
 * The failure reason of a pending payment whose authorize call got no answer: the attempt is
 * over, the provider may or may not have authorized. A retry with the same key takes it over
 * (the provider call is idempotent by key); if none comes, recovery voids what the provider holds.
 */
export const AUTHORIZE_UNANSWERED = "authorize_unanswered";

/** The durable record of every charge attempt, written before each step with the provider. */
export interface PaymentLedger {
  /** Inserts a pending payment; undefined when this idempotency key already has one. */
  begin(payment: Omit<PaymentRecord, "id" | "status" | "bookingId" | "providerPaymentId" | "failureReason" | "attempts" | "updatedAt">): Promise<PaymentRecord | undefined>;
  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<PaymentRecord | undefined>;
  /** Moves a payment on only from the expected status; false when something else moved it first. */
  transition(
    paymentId: string,
    from: PaymentStatus,
    to: PaymentStatus,
    changes?: { providerPaymentId?: string; failureReason?: string | null },
  ): Promise<boolean>;
  /**
   * Moves a payment without a booking from `from` to 'voiding', before anyone asks the provider
   * to give its money back; false when it moved first or a booking is attached. The booking
   * transaction only attaches 'pending' payments, so a claimed one can never be booked.
   */
  claimUnbooked(paymentId: string, from: "pending" | "authorized"): Promise<boolean>;
  /**
   * Hands an authorization whose void failed back to recovery when recovery already claimed the
   * payment ('voiding') or settled it as never authorized ('failed'): the row becomes 'voiding'
   * with the provider's id. False when the payment is in neither state.
   */
  reopenForVoid(paymentId: string, providerPaymentId: string): Promise<boolean>;
  /** Takes over a payment left AUTHORIZE_UNANSWERED; false when another retry or recovery moved it first. */
  resume(paymentId: string): Promise<boolean>;
  /** Payments left mid-flight longer than the grace period, locked for one recovering worker. */
  claimStale(olderThan: Date, limit: number, work: (payment: PaymentRecord) => Promise<void>): Promise<number>;
  /** How many payments are still mid-flight past olderThan: what recovery has yet to settle. */
  countStale(olderThan: Date): Promise<number>;
  /** Payments whose capture was given up ('capture_failed'): each needs an operator. */
  countDeadLetters(): Promise<number>;
}

/** Ticket status changes for live seat maps. */
export interface StatusPublisher {
  publish(eventId: string, changes: Array<{ ticketId: string; status: "available" | "reserved" | "booked" }>): Promise<void>;
}

/** Points where tests simulate a crash between the steps of confirm. */
export interface FaultHooks {
  afterAuthorize?(paymentId: string): Promise<void>;
  afterCommit?(paymentId: string): Promise<void>;
}

export interface BookingDeps {
  reservations: ReservationStore;
  inventory: TicketInventory;
  ledger: PaymentLedger;
  payments: PaymentProvider;
  publisher: StatusPublisher;
  faults?: FaultHooks;
  clock?: () => Date;
  newId: () => string;
  settings: BookingSettings;
  /** High-demand events' admission check (admission-gate.ts). */
  admission?: AdmissionGate;
}

export interface BookingSettings {
  holdTtlMs: number;
  maxTicketsPerOrder: number;
  /** How long a concurrent retry with the same idempotency key waits for the first to finish. */
  idempotencyWaitMs: number;
  /**
   * How long one confirm may run, from its start to its commit (BOOKING_CONFIRM_DEADLINE_MS); also
   * how long its seats stay claimed on the lock nodes before the commit. Shorter than recovery's grace.
   */
  confirmDeadlineMs: number;
  /** How long any one payment-provider call may go unanswered (BOOKING_PAYMENT_TIMEOUT_MS; bounded-payment-provider.ts). */
  paymentTimeoutMs: number;
  /** How long reserve may remember an event's sale facts (confirm reads them fresh); 0 or unset: not at all. */
  reserveEventMemoryMs?: number;
}
