import type { GetEventResponse } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { problemOf } from "../api/problem.js";
import type { AppContext } from "../app-context.js";
import { eventDetails } from "../components/event-details.js";
import { createOrderPanel, type OrderPanel } from "../components/order-panel.js";
import { priceTiers } from "../components/price-tiers.js";
import { createSeatMap } from "../components/seat-map.js";
import { saleStateOf } from "../format/sale-state.js";
import { focusHeading, h } from "../dom.js";
import { watchTicketStatuses, type FeedMode } from "../live/ticket-feed.js";
import type { View } from "../router.js";

/** The server refuses bigger orders (BOOKING_MAX_TICKETS_PER_ORDER); the map stops there too. */
const MAX_TICKETS_PER_ORDER = 8;

/** An event with its live seat map and the order panel beside it. */
export function eventView(app: AppContext, eventId: string): View {
  const element = h("article", { class: "page event-page" }, h("h1", {}, "Loading event…"));
  const view: View = { title: "Event", element };
  let stopFeed: (() => void) | undefined;
  let panel: OrderPanel | undefined;
  let left = false;

  void app.api.catalog.getEvent({ eventId }).then(
    (response) => {
      if (left) return;
      show(response);
      document.title = `${response.event?.name ?? "Event"} · boxoffice`;
    },
    (error) => {
      if (left) return;
      const problem = problemOf(error);
      element.replaceChildren(h("h1", {}, "Event not available"), h("p", { class: "notice notice-error", role: "alert" }, problem.message), h("p", {}, h("a", { href: "/" }, "Back to search")));
    },
  );

  function show(response: GetEventResponse): void {
    const sections = response.venue?.seatMap?.sections ?? [];
    const seatMap = createSeatMap({
      sections,
      tickets: response.tickets,
      maxSelection: MAX_TICKETS_PER_ORDER,
      onSelectionChange: (selected) => panel?.selectionChanged(selected),
      onSelectedTaken: (tickets) => panel?.selectedTaken(tickets),
    });
    const event = response.event;
    panel = createOrderPanel(app, eventId, seatMap, (now) => (event ? saleStateOf(event, response.venue?.timezone, now) : { open: true }));
    const liveState = h("p", { class: "live-state", "data-mode": "connecting" }, "Connecting to live seat updates…");
    stopFeed = watchTicketStatuses(
      app.api.catalog,
      eventId,
      (update) => seatMap.applyStatuses(update.changes, update.snapshot),
      (mode: FeedMode) => {
        liveState.dataset.mode = mode;
        liveState.textContent = mode === "live" ? "Seat map updates live." : "Live updates paused: refreshing every few seconds.";
      },
    );
    element.replaceChildren(
      eventDetails(response),
      priceTiers(response.sections, seatMap.sectionName),
      h(
        "div",
        { class: "booking-layout" },
        h("section", { class: "seat-map-section", "aria-labelledby": "seat-map-heading" }, h("h2", { id: "seat-map-heading" }, "Choose your seats"), liveState, seatMap.element),
        panel.element,
      ),
    );
    focusHeading(element);
  }

  view.dispose = () => {
    left = true;
    stopFeed?.();
    panel?.dispose();
  };
  return view;
}
