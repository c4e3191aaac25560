import { DomainError } from "../../shared/errors/domain-error.js";
import { AUTHORIZE_UNANSWERED, type BookingSettings, type PaymentLedger, type PaymentRecord, type TicketInventory } from "./booking-ports.js";
import type { Booking } from "./booking-types.js";
import { declined, keyReused, LOST_MESSAGES, providerUnanswered } from "./confirm-messages.js";
import type { ConfirmRequest } from "./confirm-order.js";
import { sameTickets } from "./order-rules.js";

export interface ReplayDeps {
  ledger: PaymentLedger;
  inventory: TicketInventory;
  settings: BookingSettings;
  clock?: () => Date;
}

/** An attempt with this key is still running (or died mid-flight and awaits recovery). */
const inFlight = (payment: PaymentRecord) =>
  (payment.status === "pending" && payment.failureReason !== AUTHORIZE_UNANSWERED) ||
  (payment.status === "authorized" && !payment.bookingId) ||
  payment.status === "voiding";

/** A booking was made with this payment: the seats are the buyer's, whether or not the capture went through yet. */
const booked = (payment: PaymentRecord) => payment.bookingId !== null && ["authorized", "captured", "capture_failed"].includes(payment.status);

export const authorizeUnanswered = (payment: PaymentRecord) => payment.status === "pending" && payment.failureReason === AUTHORIZE_UNANSWERED;

/**
 * Answers a repeated idempotency key exactly as its first attempt ended: the same booking, the
 * same refusal, or (while it still runs) its outcome once decided. A key names one order: a
 * repeat with other tickets or another reservation is refused rather than silently answered
 * with the old order's booking.
 */
export function createConfirmReplay(deps: ReplayDeps) {
  const now = deps.clock ?? (() => new Date());

  function checkSameOrder(request: ConfirmRequest, payment: PaymentRecord): void {
    if (request.ticketIds?.length && !sameTickets(request.ticketIds, payment.ticketIds)) throw keyReused();
    if (request.reservationId && request.reservationId !== payment.reservationId) throw keyReused();
  }

  async function replay(userId: string, request: ConfirmRequest, payment: PaymentRecord): Promise<Booking> {
    if (inFlight(payment)) payment = await awaitOutcome(userId, payment.idempotencyKey);
    if (booked(payment)) {
      const booking = await deps.inventory.findBookingByIdempotencyKey(userId, request.idempotencyKey);
      if (booking) return booking;
    }
    if (authorizeUnanswered(payment)) throw providerUnanswered();
    if (payment.status === "declined") throw declined(payment.failureReason ?? "card_declined", undefined);
    if (payment.status === "refunded") {
      throw new DomainError("aborted", "This order did not complete and its payment was refunded in full; start a new one with a new idempotency key.", {
        reason: payment.failureReason ?? "refunded",
      });
    }
    const reason = payment.failureReason as keyof typeof LOST_MESSAGES | null;
    throw new DomainError("aborted", reason && reason in LOST_MESSAGES ? LOST_MESSAGES[reason] : "This order did not complete and you have not been charged; start a new one with a new idempotency key.", {
      reason: payment.failureReason ?? payment.status,
    });
  }

  /** Waits for a concurrent attempt with the same key to reach a decided state. */
  async function awaitOutcome(userId: string, idempotencyKey: string): Promise<PaymentRecord> {
    const deadline = now().getTime() + deps.settings.idempotencyWaitMs;
    for (;;) {
      const payment = await deps.ledger.findByIdempotencyKey(userId, idempotencyKey);
      if (payment && !inFlight(payment)) return payment;
      if (now().getTime() >= deadline) {
        throw new DomainError("aborted", "A confirmation with this idempotency key is still in progress; retry with the same key in a moment.", {
          reason: "in_progress",
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return { checkSameOrder, replay };
}
