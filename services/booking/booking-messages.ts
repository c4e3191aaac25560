import { create } from "@bufbuild/protobuf";
import { BookingSchema, BookingStatus, CancelReason } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { money, timestamp } from "../shared/proto-mapping/common-mapping.js";
import type { Booking } from "./domain/booking-types.js";

const STATUS = { confirmed: BookingStatus.CONFIRMED, cancelled: BookingStatus.CANCELLED, refunded: BookingStatus.REFUNDED } as const;
const REASON = { event_cancelled: CancelReason.EVENT_CANCELLED, refunded_by_admin: CancelReason.REFUNDED_BY_ORGANISER } as const;

export function bookingMessage(booking: Booking) {
  const { cancellation } = booking;
  return create(BookingSchema, {
    id: booking.id,
    userId: booking.userId,
    eventId: booking.eventId,
    status: STATUS[booking.status],
    total: money(booking.totalMinor, booking.currency),
    createdAt: timestamp(booking.createdAt),
    tickets: booking.tickets.map((ticket) => ({
      ticketId: ticket.ticketId,
      section: ticket.section,
      row: ticket.row ?? "",
      seat: ticket.seat ?? 0,
      price: money(ticket.priceMinor, booking.currency),
    })),
    ...(cancellation
      ? {
          cancelReason: REASON[cancellation.reason],
          cancelledAt: timestamp(cancellation.cancelledAt),
          ...(cancellation.refundedAt ? { refundedAt: timestamp(cancellation.refundedAt) } : {}),
        }
      : {}),
  });
}
