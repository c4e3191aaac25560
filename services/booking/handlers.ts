import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { BookingService, HoldStatus, ReservationSchema } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { requireCaller } from "../shared/auth/caller.js";
import { timestamp } from "../shared/proto-mapping/common-mapping.js";
import { bookingAdminHandlers } from "./admin-handlers.js";
import { bookingMessage } from "./booking-messages.js";
import type { Cancellations } from "./domain/cancellations.js";
import type { BookingReader } from "./domain/booking-reader.js";
import type { Booking, ReserveOutcome } from "./domain/booking-types.js";
import type { ConfirmRequest } from "./domain/confirm-booking.js";
import { checkPaymentMeans, type PaymentMeans } from "./domain/payment-means.js";
import type { PurchaseAllowance } from "./domain/buyer-holds.js";

export interface BookingHandlerDeps {
  bookings: BookingReader;
  /** The caller's signal reaches the domain, which stops when it aborts (the caller cancelled, or its deadline passed). */
  reserve(userId: string, eventId: string, ticketIds: string[], signal?: AbortSignal, admissionToken?: string): Promise<ReserveOutcome>;
  confirm(userId: string, request: ConfirmRequest, signal?: AbortSignal): Promise<Booking>;
  release(userId: string, reservationId: string): Promise<void>;
  allowance(userId: string, eventId: string): Promise<PurchaseAllowance>;
  /** What the provider takes; "card" when unset. */
  paymentMeans?: PaymentMeans;
  /** The admin's cancellations and refunds. */
  cancellations: Cancellations;
}

/** BookingService: proto ↔ domain. Every call acts for the authenticated caller. */
export function bookingHandlers(deps: BookingHandlerDeps): ServiceImpl<typeof BookingService> {
  return {
    async reserveTickets(request, context) {
      const caller = requireCaller(context);
      return { reservation: reservationMessage(await deps.reserve(caller.userId, request.eventId, request.ticketIds, context.signal, request.admissionToken || undefined)) };
    },
    async confirmBooking(request, context) {
      const caller = requireCaller(context);
      const details = request.paymentDetails!;
      const payment = checkPaymentMeans(deps.paymentMeans ?? "card", {
        card: { number: details.cardNumber, expMonth: details.expMonth, expYear: details.expYear, cvc: details.cvc, holderName: details.cardholderName },
        paymentMethodId: details.paymentMethodId,
      });
      const booking = await deps.confirm(caller.userId, {
        reservationId: request.reservationId || undefined,
        eventId: request.eventId || undefined,
        ticketIds: request.ticketIds.length > 0 ? request.ticketIds : undefined,
        idempotencyKey: request.idempotencyKey,
        admissionToken: request.admissionToken || undefined,
        ...payment,
      }, context.signal);
      return { booking: bookingMessage(booking) };
    },
    async releaseReservation(request, context) {
      const caller = requireCaller(context);
      await deps.release(caller.userId, request.reservationId);
      return {};
    },
    async getPurchaseAllowance(request, context) {
      const caller = requireCaller(context);
      const allowance = await deps.allowance(caller.userId, request.eventId);
      return {
        eventId: request.eventId,
        purchaseLimit: allowance.limit,
        held: allowance.held,
        bought: allowance.bought,
        remaining: allowance.remaining,
        holdsKnown: allowance.holdsKnown,
      };
    },
    async getBooking(request, context) {
      const caller = requireCaller(context);
      return { booking: bookingMessage(await deps.bookings.getBooking(caller.userId, request.bookingId)) };
    },
    async listMyBookings(request, context) {
      const caller = requireCaller(context);
      const page = await deps.bookings.listMyBookings(caller.userId, request.pageSize, request.pageToken || undefined);
      return { bookings: page.bookings.map(bookingMessage), nextPageToken: page.nextPageToken };
    },
    ...bookingAdminHandlers(deps.cancellations),
  };
}

function reservationMessage(outcome: ReserveOutcome) {
  if (outcome.kind === "degraded") {
    return create(ReservationSchema, {
      eventId: outcome.eventId,
      ticketIds: outcome.ticketIds,
      holdStatus: HoldStatus.DEGRADED_NO_HOLD,
      message: outcome.message,
    });
  }
  const { reservation } = outcome;
  return create(ReservationSchema, {
    id: reservation.id,
    eventId: reservation.eventId,
    ticketIds: reservation.ticketIds,
    expiresAt: timestamp(reservation.expiresAt),
    holdStatus: HoldStatus.HELD,
    message: `Held for you until ${reservation.expiresAt.toISOString()}.`,
  });
}
