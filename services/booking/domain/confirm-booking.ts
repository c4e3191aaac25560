import { DomainError } from "../../shared/errors/domain-error.js";
import type { TicketHolds } from "../../shared/holds/ticket-holds.js";
import { AUTHORIZE_UNANSWERED, type BookingDeps, type PaymentRecord } from "./booking-ports.js";
import type { Booking, Reservation } from "./booking-types.js";
import { declined, LOST_MESSAGES, priceChanged, providerUnanswered, type LostReason } from "./confirm-messages.js";
import { beforeDeadline, confirmDeadline, type ConfirmDeadline } from "./confirm-deadline.js";
import { createConfirmOrder, type ConfirmOrder, type ConfirmRequest } from "./confirm-order.js";
import { authorizeUnanswered, createConfirmReplay } from "./confirm-replay.js";
import { claimSeats } from "./seat-claim.js";
import { purchaseLimitAtConfirm } from "./purchase-limit.js";

export type { ConfirmRequest } from "./confirm-order.js";

/**
 * ConfirmBooking, the two-phase purchase: check the hold is ours → authorize the payment →
 * claim the seats again (seat-claim.ts: a valid hold wins) → one database transaction that
 * must take every seat → capture. It runs within a deadline and stops, before authorize or
 * before the commit, once its caller has gone (confirm-deadline.ts). A lost transaction voids the
 * authorization (compensation); every step is first written to the payments ledger, so a
 * crash between steps is finished by the recovery worker. The idempotency key makes retries,
 * even concurrent ones, charge once and return the same booking.
 */
export function createConfirmBooking(deps: BookingDeps & { holds: TicketHolds }) {
  const prepare = createConfirmOrder(deps);
  const { checkSameOrder, replay } = createConfirmReplay(deps);

  async function confirm(userId: string, request: ConfirmRequest, callerSignal?: AbortSignal): Promise<Booking> {
    const deadline = confirmDeadline(deps.settings.confirmDeadlineMs, callerSignal);
    try {
      return await confirmWithin(userId, request, deadline);
    } finally {
      deadline.release();
    }
  }

  async function confirmWithin(userId: string, request: ConfirmRequest, deadline: ConfirmDeadline): Promise<Booking> {
    if (deadline.signal.aborted) throw deadline.error();
    const findEarlier = () => deps.ledger.findByIdempotencyKey(userId, request.idempotencyKey);
    // Both reads at once: a first attempt (the usual case) needs the order, a retry the ledger.
    const [earlier, prepared] = await Promise.all([
      findEarlier(),
      prepare(userId, request).then(
        (order) => ({ order }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if (earlier) return again(userId, request, earlier, deadline);

    if ("error" in prepared) {
      // An attempt with this key may have begun after our read and finished since, deleting the
      // reservation and selling the seats: its outcome, not our late view of it, is the answer.
      const claimed = await findEarlier();
      if (claimed) return again(userId, request, claimed, deadline);
      throw prepared.error;
    }
    const { order } = prepared;

    const payment = await deps.ledger.begin({
      userId,
      idempotencyKey: request.idempotencyKey,
      amountMinor: order.totalMinor,
      currency: order.currency,
      ticketIds: order.tickets.map((ticket) => ticket.id),
      reservationId: request.reservationId ?? null,
    });
    // Another request with this key got there first: answer with its outcome.
    if (!payment) return again(userId, request, (await findEarlier())!, deadline);
    return complete(userId, request, order, payment, deadline);
  }

  /** A key the ledger already has: the same order's outcome, or a takeover of an attempt the provider left unanswered. */
  async function again(userId: string, request: ConfirmRequest, payment: PaymentRecord, deadline: ConfirmDeadline): Promise<Booking> {
    checkSameOrder(request, payment);
    if (authorizeUnanswered(payment)) {
      const order = await prepare(userId, request);
      // The provider may already hold an authorization of the first attempt's amount under this
      // payment's key: the sale goes ahead only at that amount, so the booking records what is charged.
      if (order.totalMinor !== payment.amountMinor || order.currency !== payment.currency) throw priceChanged(payment.amountMinor, order.totalMinor, order.currency);
      if (await deps.ledger.resume(payment.id)) return complete(userId, request, order, { ...payment, failureReason: null }, deadline);
      payment = (await deps.ledger.findByIdempotencyKey(userId, payment.idempotencyKey))!;
    }
    return replay(userId, request, payment);
  }

  /** Authorize → transaction → capture, for a payment this attempt owns. */
  async function complete(userId: string, request: ConfirmRequest, order: ConfirmOrder, payment: PaymentRecord, deadline: ConfirmDeadline): Promise<Booking> {
    if (deadline.signal.aborted) {
      await deps.ledger.transition(payment.id, "pending", "failed", { failureReason: deadline.reason() }).catch(() => false);
      throw deadline.error();
    }
    const authorization = await authorize(payment, request, order.reservation, deadline);
    await deps.faults?.afterAuthorize?.(payment.id);

    const claim = await claimSeats(deps, userId, order);
    const undoClaim = () =>
      claim.fresh ? deps.holds.release({ eventId: order.eventId, ticketIds: order.tickets.map((ticket) => ticket.id), token: claim.token }).catch(() => undefined) : undefined;
    if (claim.outcome.kind === "taken") {
      await Promise.all([compensate(payment, authorization, "hold_lost", "pending"), undoClaim()]);
      throw new DomainError("aborted", LOST_MESSAGES.hold_lost, { reason: "hold_lost", ticketIds: claim.outcome.ticketIds });
    }
    if (deadline.signal.aborted) {
      await Promise.all([compensate(payment, authorization, deadline.reason(), "pending"), undoClaim()]);
      throw deadline.error();
    }

    const outcome = await deps.inventory.bookTickets({
      bookingId: deps.newId(),
      userId,
      eventId: order.eventId,
      tickets: order.tickets,
      totalMinor: order.totalMinor,
      currency: order.currency,
      idempotencyKey: request.idempotencyKey,
      reservationId: order.reservation?.id ?? null,
      paymentId: payment.id,
      providerPaymentId: authorization,
    });
    if (outcome.kind === "lost") {
      await Promise.all([compensate(payment, authorization, outcome.reason, outcome.paymentRecorded ? "authorized" : "pending"), undoClaim()]);
      if (outcome.reason === "purchase_limit") throw purchaseLimitAtConfirm({ limit: outcome.limit, bought: outcome.bought }, order.tickets.length);
      // A cancellation is final (retrying cannot win), unlike a lost race.
      const kind = outcome.reason === "event_cancelled" ? "conflict" : "aborted";
      throw new DomainError(kind, LOST_MESSAGES[outcome.reason], { reason: outcome.reason, ...(kind === "conflict" ? { field: "event_id" } : {}) });
    }
    await deps.faults?.afterCommit?.(payment.id);

    try {
      await deps.payments.capture(authorization, `${payment.id}:capture`);
      await deps.ledger.transition(payment.id, "authorized", "captured");
    } catch {
      // The seats are the buyer's; the recovery worker retries the capture.
    }
    await finish({ ...order, ownHolds: [...order.ownHolds, claim.token] });
    return outcome.booking;
  }

  async function authorize(
    payment: PaymentRecord,
    { card, paymentMethodId }: Pick<ConfirmRequest, "card" | "paymentMethodId">,
    reservation: Reservation | undefined,
    deadline: ConfirmDeadline,
  ): Promise<string> {
    let result;
    try {
      result = await beforeDeadline(deadline, deps.payments.authorize({ amountMinor: payment.amountMinor, currency: payment.currency, card, paymentMethodId, idempotencyKey: payment.id }));
    } catch (error) {
      // A known outcome for this attempt, recorded so a retry with the same key can take over at
      // once; whatever the provider may have authorized is voided by recovery if nobody does.
      await deps.ledger.transition(payment.id, "pending", "pending", { failureReason: AUTHORIZE_UNANSWERED }).catch(() => false);
      // The provider's own error rides along as the cause, so the service's log says why (a
      // refused API key reads very differently from a timeout); the buyer reads only the message.
      throw Object.assign(deadline.signal.aborted ? deadline.error() : providerUnanswered(), { cause: error });
    }
    if (result.kind === "declined") {
      await deps.ledger.transition(payment.id, "pending", "declined", { failureReason: result.reason });
      throw declined(result.reason, reservation?.expiresAt);
    }
    // Recorded as authorized by the booking transaction itself (one round trip, not two): a crash
    // before it leaves the payment pending, which recovery voids by asking the provider.
    return result.providerPaymentId;
  }

  async function compensate(payment: PaymentRecord, providerPaymentId: string, reason: LostReason, recordedAs: "authorized" | "pending") {
    try {
      await deps.payments.void(providerPaymentId, `${payment.id}:void`);
      await deps.ledger.transition(payment.id, recordedAs, "voided", { failureReason: reason, providerPaymentId });
    } catch {
      // The authorization is still open and has no booking: the recovery worker voids it. It
      // may have settled this payment already, having asked the provider while our authorize was
      // still on its way and found nothing: the row goes back to it with the provider's id.
      await deps.ledger.reopenForVoid(payment.id, providerPaymentId).catch(() => false);
    }
  }

  async function finish(order: ConfirmOrder) {
    const ticketIds = order.tickets.map((ticket) => ticket.id);
    const tokens = new Set([...order.ownHolds, ...(order.reservation ? [order.reservation.holdToken] : [])]);
    const recordKey = order.reservation ? deps.reservations.recordKey(order.reservation.id) : undefined;
    await Promise.all(
      [...tokens].map((token) =>
        deps.holds
          .release({ eventId: order.eventId, ticketIds, token, recordKey: token === order.reservation?.holdToken ? recordKey : undefined })
          .catch(() => undefined),
      ),
    );
    // Seat maps learn of it when they may; the buyer, whose seats are paid for, does not wait for
    // them: a bus Redis that hangs (a partition, found by the chaos run) held every confirm's answer.
    void deps.publisher.publish(order.eventId, ticketIds.map((ticketId) => ({ ticketId, status: "booked" }))).catch(() => undefined);
  }

  return confirm;
}
