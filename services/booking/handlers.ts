import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { BookingSchema, BookingService, BookingStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { requireCaller } from "../shared/auth/caller.js";
import { money, timestamp } from "../shared/proto-mapping/common-mapping.js";
import type { BookingReader } from "./domain/booking-reader.js";
import type { Booking } from "./domain/booking-types.js";

/**
 * BookingService. Reserve, confirm and release arrive with the two-phase booking work (issue 3);
 * until then Connect answers UNIMPLEMENTED for them.
 */
export function bookingHandlers({ bookings }: { bookings: BookingReader }): Partial<ServiceImpl<typeof BookingService>> {
  return {
    async getBooking(request, context) {
      const caller = requireCaller(context);
      return { booking: bookingMessage(await bookings.getBooking(caller.userId, request.bookingId)) };
    },
    async listMyBookings(request, context) {
      const caller = requireCaller(context);
      const page = await bookings.listMyBookings(caller.userId, request.pageSize, request.pageToken || undefined);
      return { bookings: page.bookings.map(bookingMessage), nextPageToken: page.nextPageToken };
    },
  };
}

export function bookingMessage(booking: Booking) {
  return create(BookingSchema, {
    id: booking.id,
    userId: booking.userId,
    eventId: booking.eventId,
    status: booking.status === "confirmed" ? BookingStatus.CONFIRMED : BookingStatus.CANCELLED,
    total: money(booking.totalMinor, booking.currency),
    createdAt: timestamp(booking.createdAt),
    tickets: booking.tickets.map((ticket) => ({
      ticketId: ticket.ticketId,
      section: ticket.section,
      row: ticket.row ?? "",
      seat: ticket.seat ?? 0,
      price: money(ticket.priceMinor, booking.currency),
    })),
  });
}
