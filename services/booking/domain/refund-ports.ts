import type { Booking } from "./booking-types.js";

/** A payment whose booking was cancelled and whose money is being given back ('refunding'). */
export interface RefundingPayment {
  id: string;
  bookingId: string;
  providerPaymentId: string | null;
}

/**
 * Cancellations and the refunds they start, in PostgreSQL. Each cancellation is one
 * transaction that also moves every payment holding the buyer's money to 'refunding', so the
 * refunds to make are in the ledger before any provider call: a crash leaves them there.
 */
export interface CancellationStore {
  /**
   * Cancels a confirmed booking ('refunded_by_admin') and puts its seats back on sale. Undefined
   * when there is no such booking; `releasedTicketIds` is empty when it was already cancelled.
   */
  cancelBooking(bookingId: string): Promise<{ booking: Booking; releasedTicketIds: string[] } | undefined>;
  /**
   * Marks the event cancelled (sales stop) and cancels every confirmed booking of it
   * ('event_cancelled'); the seats stay booked. False when there is no such event.
   */
  cancelEvent(eventId: string): Promise<boolean>;
  findBooking(bookingId: string): Promise<Booking | undefined>;
  /** Payments still 'refunding', of one booking or of every booking of one event. */
  refundingPayments(of: { bookingId: string } | { eventId: string }): Promise<RefundingPayment[]>;
  /**
   * 'refunding' → `to`, only from 'refunding'; the booking becomes 'refunded' with its last
   * payment. False when something else settled it first.
   */
  settleRefund(paymentId: string, to: "refunded" | "voided", providerPaymentId: string): Promise<boolean>;
  /** 'refunding' payments untouched since olderThan, leased to one worker (a crashed run's leftovers). */
  claimStaleRefunds(olderThan: Date, limit: number, work: (payment: RefundingPayment) => Promise<void>): Promise<number>;
  /** How many 'refunding' payments are untouched since olderThan: refunds still owed past the grace. */
  countStaleRefunds(olderThan: Date): Promise<number>;
  /** The event's cancelled bookings and where their payments stand. */
  eventRefunds(eventId: string): Promise<{ bookingsCancelled: number; refundsCompleted: number; refundsPending: number }>;
}

/** Where tests simulate a crash between the provider's refund and the ledger's record of it. */
export interface RefundFaultHooks {
  afterRefund?(paymentId: string): Promise<void>;
}

/** Views of an event kept elsewhere (the catalog's cache) that must drop it once it is cancelled. */
export interface EventViews {
  forget(eventId: string): Promise<void>;
}
