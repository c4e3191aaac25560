import type { GetEventAvailabilityResponse, GetEventLayoutResponse } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import type { AppContext } from "../app-context.js";
import { eventDetails } from "../components/event-details.js";
import { createOrderPanel, type OrderPanel } from "../components/order-panel.js";
import { createStadiumMap } from "../components/stadium-map.js";
import { h } from "../dom.js";
import { saleStateOf } from "../format/sale-state.js";
import { watchAvailability } from "../live/availability-feed.js";
import { liveStateLine } from "./live-state-line.js";

/**
 * The event page of a big venue: the layout (fetched by version, so the browser and CDNs keep
 * it) and the availability bits draw the sections at once; a section's seats come when chosen;
 * the compact watch keeps them live.
 */
export function stadiumPage(
  app: AppContext,
  eventId: string,
  page: GetEventLayoutResponse,
  availability: GetEventAvailabilityResponse,
  maxSelection: number,
  onLayoutChanged: () => void,
  onAdmissionLost: (message: string) => void,
): { elements: HTMLElement[]; dispose(): void } {
  const layout = page.layout!;
  let panel: OrderPanel | undefined;
  const seatMap = createStadiumMap({
    eventId,
    layout,
    bits: availability.seats,
    maxSelection,
    sectionTicketIds: async (section) => (await app.api.catalog.getEventLayout({ eventId, version: layout.version, section })).layout?.sectionTicketIds ?? [],
    onSelectionChange: (selected) => panel?.selectionChanged(selected),
    onSelectedTaken: (tickets) => panel?.selectedTaken(tickets),
    onLayoutChanged,
  });
  const event = page.event;
  panel = createOrderPanel(app, eventId, seatMap, (now) => (event ? saleStateOf(event, page.venue?.timezone, now) : { open: true }), onAdmissionLost, event?.purchaseLimit);
  const live = liveStateLine();
  const stopFeed = watchAvailability(app.api.catalog, eventId, (update) => seatMap.applyAvailability(update), live.setMode);
  return {
    elements: [
      eventDetails(page),
      h(
        "div",
        { class: "booking-layout" },
        h("section", { class: "seat-map-section", "aria-labelledby": "seat-map-heading" }, h("h2", { id: "seat-map-heading" }, "Choose your seats"), live.element, seatMap.element),
        panel.element,
      ),
    ],
    dispose() {
      stopFeed();
      panel?.dispose();
    },
  };
}
