import { eventTitles } from "../api/event-titles.js";
import { problemOf } from "../api/problem.js";
import type { AppContext } from "../app-context.js";
import { bookingCard } from "../components/booking-card.js";
import { h } from "../dom.js";
import type { View } from "../router.js";

/** One booking; right after paying it is the confirmation page. */
export function bookingView(app: AppContext, bookingId: string, url: URL): View {
  const justBooked = url.searchParams.get("confirmed") === "1";
  const heading = h("h1", {}, justBooked ? "Booking confirmed" : "Your booking");
  const content = h("div", {}, h("p", { role: "status" }, "Loading the booking…"));
  const controller = new AbortController();

  void (async () => {
    try {
      if (!app.session.current() && !(await app.requireSignIn("Sign in to see this booking."))) {
        content.replaceChildren(h("p", {}, "Sign in to see this booking."));
        return;
      }
      const { booking } = await app.api.booking.getBooking({ bookingId }, { signal: controller.signal });
      if (!booking) throw new Error("the booking is missing from the answer");
      const titles = await eventTitles(app.api, [booking.eventId], controller.signal);
      content.replaceChildren(
        justBooked ? h("p", { class: "notice notice-success" }, "Thank you! Your tickets are booked and paid.") : "",
        bookingCard(booking, titles.get(booking.eventId), { headingLevel: "h2", linkToBooking: false }),
        h("p", {}, h("a", { href: "/my-bookings" }, "All my bookings")),
      );
    } catch (error) {
      if (controller.signal.aborted) return;
      content.replaceChildren(h("p", { class: "notice notice-error", role: "alert" }, problemOf(error).message), h("p", {}, h("a", { href: "/my-bookings" }, "All my bookings")));
    }
  })();

  return { title: justBooked ? "Booking confirmed" : "Booking", element: h("section", { class: "page" }, heading, content), dispose: () => controller.abort() };
}
