import type { Booking } from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import { eventTitles } from "../api/event-titles.js";
import { problemOf } from "../api/problem.js";
import type { AppContext } from "../app-context.js";
import { bookingCard } from "../components/booking-card.js";
import { h } from "../dom.js";
import type { View } from "../router.js";

/** The signed-in buyer's bookings, newest first, a page at a time. */
export function bookingsView(app: AppContext): View {
  const list = h("div", { class: "booking-list" });
  const status = h("p", { role: "status" });
  const more = h("div", { class: "pager" });
  const controller = new AbortController();

  async function load(pageToken: string): Promise<void> {
    if (!app.session.current()) {
      status.textContent = "";
      list.replaceChildren(
        h("p", {}, "Sign in to see your bookings."),
        h("button", { type: "button", class: "button primary", onclick: () => void signInThenLoad() }, "Sign in"),
      );
      return;
    }
    status.textContent = "Loading your bookings…";
    try {
      const response = await app.api.booking.listMyBookings({ pageSize: 10, pageToken }, { signal: controller.signal });
      const titles = await eventTitles(app.api, response.bookings.map((booking) => booking.eventId), controller.signal);
      if (!pageToken) list.replaceChildren();
      list.append(...response.bookings.map((booking: Booking) => bookingCard(booking, titles.get(booking.eventId), { headingLevel: "h2", linkToBooking: true })));
      status.textContent = list.childElementCount === 0 ? "You have no bookings yet." : "";
      more.replaceChildren(response.nextPageToken ? h("button", { type: "button", class: "button", onclick: () => void load(response.nextPageToken) }, "Show more bookings") : "");
    } catch (error) {
      if (controller.signal.aborted) return;
      status.textContent = "";
      list.replaceChildren(h("p", { class: "notice notice-error", role: "alert" }, problemOf(error).message));
    }
  }

  async function signInThenLoad(): Promise<void> {
    if (await app.requireSignIn("Sign in to see your bookings.")) await load("");
  }

  void load("");
  return {
    title: "My bookings",
    element: h("section", { class: "page" }, h("h1", {}, "My bookings"), status, list, more),
    dispose: () => controller.abort(),
  };
}
