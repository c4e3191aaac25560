import { describe, expect, it } from "vitest";
import { BookingStatus, CancelReason } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { bookingStateOf } from "../../web/src/format/booking-state.js";

describe("the web app says where a booking stands and where the buyer's money is", () => {
  it.each([
    [BookingStatus.CONFIRMED, CancelReason.UNSPECIFIED, "Confirmed", "", "none"],
    [BookingStatus.CANCELLED, CancelReason.EVENT_CANCELLED, "Cancelled · refund under way", "The event was cancelled. Your refund is on its way to your card; these tickets are no longer valid.", "info"],
    [BookingStatus.CANCELLED, CancelReason.REFUNDED_BY_ORGANISER, "Cancelled · refund under way", "The organiser cancelled this booking. Your refund is on its way to your card; these tickets are no longer valid.", "info"],
    [BookingStatus.REFUNDED, CancelReason.EVENT_CANCELLED, "Cancelled · refunded", "The event was cancelled. The full amount was refunded to your card; these tickets are no longer valid.", "success"],
    [BookingStatus.REFUNDED, CancelReason.REFUNDED_BY_ORGANISER, "Cancelled · refunded", "The organiser cancelled this booking. The full amount was refunded to your card; these tickets are no longer valid.", "success"],
  ])("status %i, reason %i", (status, cancelReason, label, note, tone) => {
    expect(bookingStateOf({ status, cancelReason })).toEqual({ label, note, tone });
  });
});
