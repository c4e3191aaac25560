import { DomainError, invalid, notFound } from "../../shared/errors/domain-error.js";
import { HoldsUnavailableError, type TicketHolds } from "../../shared/holds/ticket-holds.js";
import type { BookingDeps, PaymentRecord } from "./booking-ports.js";
import type { Booking, CardDetails, Reservation } from "./booking-types.js";
import { checkOrder, heldByOthers } from "./order-rules.js";

export interface ConfirmRequest {
  reservationId?: string | undefined;
  eventId?: string | undefined;
  ticketIds?: string[] | undefined;
  card: CardDetails;
  idempotencyKey: string;
}

const DECLINE_MESSAGES = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
} as const;

const LOST_MESSAGES = {
  seat_taken: "Seat already taken by another buyer: you have not been charged.",
  payment_not_authorized: "The payment timed out and was cancelled: you have not been charged.",
} as const;

/**
 * ConfirmBooking, the two-phase purchase: check the hold is ours → authorize the payment →
 * one database transaction that must take every seat → capture. A lost transaction voids the
 * authorization (compensation); every step is first written to the payments ledger, so a
 * crash between steps is finished by the recovery worker. The idempotency key makes retries,
 * even concurrent ones, charge once and return the same booking.
 */
export function createConfirmBooking(deps: BookingDeps & { holds: TicketHolds }) {
  const now = deps.clock ?? (() => new Date());

  async function confirm(userId: string, request: ConfirmRequest): Promise<Booking> {
    const ledgerKey = `${userId}:${request.idempotencyKey}`;
    const earlier = await deps.ledger.findByIdempotencyKey(ledgerKey);
    if (earlier) return replay(userId, request, earlier);

    const { eventId, ticketIds, reservation } = await target(userId, request);
    await checkHolds(ticketIds, reservation);
    const tickets = checkOrder(eventId, ticketIds, await deps.inventory.findTickets(ticketIds), deps.settings.maxTicketsPerOrder);
    const totalMinor = tickets.reduce((sum, ticket) => sum + ticket.priceMinor, 0);
    const currency = tickets[0]!.currency;

    const payment = await deps.ledger.begin({ userId, idempotencyKey: ledgerKey, amountMinor: totalMinor, currency, ticketIds });
    // Another request with this key got there first: answer with its outcome.
    if (!payment) return replay(userId, request, await awaitOutcome(ledgerKey));

    const authorization = await authorize(payment, request.card, reservation);
    await deps.faults?.afterAuthorize?.(payment.id);

    const outcome = await deps.inventory.bookTickets({
      bookingId: deps.newId(),
      userId,
      eventId,
      tickets,
      totalMinor,
      currency,
      idempotencyKey: request.idempotencyKey,
      reservationId: reservation?.id ?? null,
      paymentId: payment.id,
    });
    if (outcome.kind === "lost") {
      await compensate(payment, authorization, outcome.reason);
      throw new DomainError("aborted", LOST_MESSAGES[outcome.reason], { reason: outcome.reason });
    }
    await deps.faults?.afterCommit?.(payment.id);

    try {
      await deps.payments.capture(authorization, `${payment.id}:capture`);
      await deps.ledger.transition(payment.id, "authorized", "captured");
    } catch {
      // The seats are the buyer's; the recovery worker retries the capture.
    }
    await finish(eventId, ticketIds, reservation);
    return outcome.booking;
  }

  /** Which tickets, and whose hold: a reservation, or ticket ids bought directly. */
  async function target(userId: string, request: ConfirmRequest) {
    if (request.reservationId) {
      const reservation = await deps.reservations.find(request.reservationId).catch(() => undefined);
      if (!reservation) {
        throw notFound(`reservation ${request.reservationId} does not exist or has expired; reserve the seats again`, { field: "reservation_id" });
      }
      if (reservation.userId !== userId) throw new DomainError("permission_denied", "this reservation belongs to another buyer");
      return { eventId: reservation.eventId, ticketIds: reservation.ticketIds, reservation };
    }
    if (!request.eventId || !request.ticketIds?.length) throw invalid("give reservation_id, or event_id with ticket_ids", { field: "reservation_id" });
    return { eventId: request.eventId, ticketIds: request.ticketIds, reservation: undefined };
  }

  /** Refuses before charging when another buyer holds a seat. An expired or unknown hold lets the database decide. */
  async function checkHolds(ticketIds: string[], reservation: Reservation | undefined) {
    let holders: Map<string, string>;
    try {
      holders = await deps.holds.holders(ticketIds);
    } catch (error) {
      if (error instanceof HoldsUnavailableError) return;
      throw error;
    }
    const others = ticketIds.filter((id) => holders.has(id) && holders.get(id) !== reservation?.holdToken);
    if (others.length > 0) throw heldByOthers(ticketIds, others);
  }

  async function authorize(payment: PaymentRecord, card: CardDetails, reservation: Reservation | undefined): Promise<string> {
    let result;
    try {
      result = await deps.payments.authorize({ amountMinor: payment.amountMinor, currency: payment.currency, card, idempotencyKey: payment.id });
    } catch {
      // Unknown whether the provider authorized: the ledger stays pending and recovery voids it.
      throw new DomainError("unavailable", "The payment provider did not answer; you have not been charged. Try again in a moment.");
    }
    if (result.kind === "declined") {
      await deps.ledger.transition(payment.id, "pending", "declined", { failureReason: result.reason });
      throw declined(result.reason, reservation);
    }
    await deps.ledger.transition(payment.id, "pending", "authorized", { providerPaymentId: result.providerPaymentId });
    return result.providerPaymentId;
  }

  function declined(reason: string, reservation: Reservation | undefined): DomainError {
    if (reason === "invalid_card") {
      return invalid("That card number is not valid: check it, or use another card.", { field: "payment_details.card_number", reason });
    }
    const held = reservation ? ` Your seats stay held until ${reservation.expiresAt.toISOString()}: try another card (with a new idempotency key).` : "";
    return new DomainError("payment_declined", `${DECLINE_MESSAGES[reason as keyof typeof DECLINE_MESSAGES] ?? "Payment declined."}${held}`, { reason });
  }

  async function compensate(payment: PaymentRecord, providerPaymentId: string, reason: "seat_taken" | "payment_not_authorized") {
    try {
      await deps.payments.void(providerPaymentId, `${payment.id}:void`);
      await deps.ledger.transition(payment.id, "authorized", "voided", { failureReason: reason });
    } catch {
      // The authorization is still open and has no booking: the recovery worker voids it.
    }
  }

  async function finish(eventId: string, ticketIds: string[], reservation: Reservation | undefined) {
    if (reservation) {
      await deps.holds.release(ticketIds, reservation.holdToken).catch(() => undefined);
      await deps.reservations.delete(reservation.id).catch(() => undefined);
    }
    await deps.publisher.publish(eventId, ticketIds.map((ticketId) => ({ ticketId, status: "booked" }))).catch(() => undefined);
  }

  /** Answers a repeated key exactly as the first attempt ended. */
  async function replay(userId: string, request: ConfirmRequest, payment: PaymentRecord): Promise<Booking> {
    if (request.ticketIds?.length && !sameTickets(request.ticketIds, payment.ticketIds)) {
      throw invalid("this idempotency key was already used for a different order; use a new key for a new order", { field: "idempotency_key" });
    }
    if (payment.status === "pending" || (payment.status === "authorized" && !payment.bookingId)) {
      payment = await awaitOutcome(payment.idempotencyKey);
    }
    if (payment.bookingId && (payment.status === "authorized" || payment.status === "captured")) {
      const booking = await deps.inventory.findBookingByIdempotencyKey(userId, request.idempotencyKey);
      if (booking) return booking;
    }
    if (payment.status === "declined") throw declined(payment.failureReason ?? "card_declined", undefined);
    const reason = payment.failureReason as keyof typeof LOST_MESSAGES | null;
    throw new DomainError("aborted", reason && reason in LOST_MESSAGES ? LOST_MESSAGES[reason] : "This order did not complete and you have not been charged; start a new one with a new idempotency key.", {
      reason: payment.failureReason ?? payment.status,
    });
  }

  /** Waits for a concurrent attempt with the same key to reach a decided state. */
  async function awaitOutcome(ledgerKey: string): Promise<PaymentRecord> {
    const deadline = now().getTime() + deps.settings.idempotencyWaitMs;
    for (;;) {
      const payment = await deps.ledger.findByIdempotencyKey(ledgerKey);
      const decided = payment && !(payment.status === "pending" || (payment.status === "authorized" && !payment.bookingId));
      if (payment && decided) return payment;
      if (now().getTime() >= deadline) {
        throw new DomainError("aborted", "A confirmation with this idempotency key is still in progress; retry with the same key in a moment.", {
          reason: "in_progress",
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return confirm;
}

function sameTickets(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}
