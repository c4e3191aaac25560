import { BookingStatus, type Booking } from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import { bookingStateOf } from "../format/booking-state.js";
import type { EventTitle } from "../api/event-titles.js";
import { h } from "../dom.js";
import { seatLabel } from "../format/labels.js";
import { formatMoney } from "../format/money.js";
import { venueTime } from "./venue-time.js";

/** One booking: the event, its seats, the total, and the reference to quote. */
export function bookingCard(booking: Booking, title: EventTitle | undefined, options: { headingLevel: "h2" | "h3"; linkToBooking: boolean }): HTMLElement {
  const name = title?.event.name ?? "Event";
  const state = bookingStateOf(booking);
  return h(
    "article",
    { class: booking.status === BookingStatus.CONFIRMED ? "booking-card" : "booking-card booking-cancelled", "data-booking-id": booking.id },
    h(options.headingLevel, {}, options.linkToBooking ? h("a", { href: `/my-bookings/${encodeURIComponent(booking.id)}` }, name) : name),
    title ? h("p", { class: "booking-when" }, venueTime(title.event.startsAt, title.timeZone), ` · ${title.venueName}`) : "",
    state.note ? h("p", { class: `notice notice-${state.tone} booking-state-note`, role: "status" }, state.note) : "",
    h("ul", { class: "order-seats" }, booking.tickets.map((ticket) => h("li", {}, h("span", {}, seatLabel(ticket, title?.sectionNames.get(ticket.section))), h("span", {}, formatMoney(ticket.price))))),
    h(
      "dl",
      { class: "booking-facts" },
      h("dt", {}, "Total"),
      h("dd", {}, formatMoney(booking.total)),
      h("dt", {}, "Status"),
      h("dd", { class: "booking-status" }, state.label),
      h("dt", {}, "Reference"),
      h("dd", { class: "booking-reference" }, booking.id),
      // On the venue's clock too, so one page never mixes two clocks.
      booking.createdAt ? [h("dt", {}, "Booked"), h("dd", { class: "booking-booked-at" }, venueTime(booking.createdAt, title?.timeZone))] : [],
      booking.refundedAt ? [h("dt", {}, "Refunded"), h("dd", { class: "booking-refunded-at" }, venueTime(booking.refundedAt, title?.timeZone))] : [],
    ),
    title ? h("p", {}, h("a", { href: `/event/${encodeURIComponent(booking.eventId)}` }, "View the event")) : "",
  );
}
