import { BookingStatus, CancelReason, type Booking } from "../../../gen/boxoffice/booking/v1/booking_pb.js";

/**
 * Where a booking stands, as its buyer reads it: the status word, and for a booking that no
 * longer stands why, and where their money is. `tone` picks the notice's colour.
 */
export interface BookingState {
  label: string;
  note: string;
  tone: "none" | "info" | "success";
}

export function bookingStateOf(booking: Pick<Booking, "status" | "cancelReason">): BookingState {
  const why = booking.cancelReason === CancelReason.EVENT_CANCELLED ? "The event was cancelled" : "The organiser cancelled this booking";
  switch (booking.status) {
    case BookingStatus.CONFIRMED:
      return { label: "Confirmed", note: "", tone: "none" };
    case BookingStatus.REFUNDED:
      return { label: "Cancelled · refunded", note: `${why}. The full amount was refunded to your card; these tickets are no longer valid.`, tone: "success" };
    default:
      return { label: "Cancelled · refund under way", note: `${why}. Your refund is on its way to your card; these tickets are no longer valid.`, tone: "info" };
  }
}
