import type { GetEventResponse } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { problemOf } from "../api/problem.js";
import type { AppContext } from "../app-context.js";
import { eventDetails } from "../components/event-details.js";
import { createOrderPanel, type OrderPanel } from "../components/order-panel.js";
import { priceTiers } from "../components/price-tiers.js";
import { createSeatMap } from "../components/seat-map.js";
import { saleStateOf } from "../format/sale-state.js";
import { focusHeading, h } from "../dom.js";
import { watchTicketStatuses } from "../live/ticket-feed.js";
import type { View } from "../router.js";
import { liveStateLine } from "./live-state-line.js";
import { queuePage } from "./queue-page.js";
import { stadiumPage } from "./stadium-page.js";

/** The server refuses bigger orders (BOOKING_MAX_TICKETS_PER_ORDER); the map stops there too. */
const MAX_TICKETS_PER_ORDER = 8;

/**
 * From this many seats the page takes the stadium path (layout + availability bits, sections
 * first) instead of GetEvent's ticket per seat: a 50,000-seat GetEvent is megabytes.
 */
const STADIUM_FROM_SEATS = 5_000;

/** An event with its live seat map and the order panel beside it. */
export function eventView(app: AppContext, eventId: string): View {
  const element = h("article", { class: "page event-page" }, h("h1", {}, "Loading event…"));
  const view: View = { title: "Event", element };
  let stopFeed: (() => void) | undefined;
  let panel: OrderPanel | undefined;
  let left = false;

  // The availability is small whatever the size, and says how big the event is.
  async function load(): Promise<void> {
    // The current layout comes at the same time, not after the availability names its version:
    // one round trip less before a stadium's sections show (a small event wastes a few hundred
    // bytes, cacheable for seconds).
    const [availability, current] = await Promise.all([
      app.api.catalog.getEventAvailability({ eventId }),
      app.api.catalog.getEventLayout({ eventId }).catch(() => undefined),
    ]);
    const seats = availability.sections.reduce((sum, s) => sum + s.available + s.reserved + s.booked, 0);
    if (seats < STADIUM_FROM_SEATS) {
      const response = await app.api.catalog.getEvent({ eventId });
      if (left) return;
      throughQueue(response, () => show(response));
      document.title = `${response.event?.name ?? "Event"} · boxoffice`;
      return;
    }
    // A layout changed between the two answers: the one the bits were encoded against.
    const page = current?.layout?.version === availability.layoutVersion ? current : await app.api.catalog.getEventLayout({ eventId, version: availability.layoutVersion });
    if (left) return;
    document.title = `${page.event?.name ?? "Event"} · boxoffice`;
    const drawStadium = () => {
      const stadium = stadiumPage(
        app,
        eventId,
        page,
        availability,
        MAX_TICKETS_PER_ORDER,
        () => {
          stadium.dispose();
          void load().catch(failed);
        },
        (message) => {
          stadium.dispose();
          throughQueue(page, drawStadium, message);
        },
      );
      stopFeed = stadium.dispose;
      element.replaceChildren(...stadium.elements);
      // For the browser suite and anyone profiling: when the sections became usable.
      performance.mark("stadium-sections-drawn");
      focusHeading(element);
    };
    throughQueue(page, drawStadium);
  }

  /**
   * A high-demand event sells only to buyers its queue admitted: without an admission the page
   * shows the queue, and draws the seat map once admitted. Other events go straight to it.
   */
  function throughQueue(response: Pick<GetEventResponse, "event" | "venue" | "performers">, draw: () => void, message?: string): void {
    stopFeed = undefined;
    if (!response.event?.highDemand || app.admissions.get(eventId)) return draw();
    const queue = queuePage(app, {
      eventId,
      timeZone: response.venue?.timezone,
      ...(message ? { message } : {}),
      onAdmitted: () => {
        queue.dispose();
        if (left) return;
        draw();
        // Re-admitted at once (the queue still counted this buyer in): the queue page flashed by,
        // so the reason the order stopped stays in view above the seat map.
        if (message) element.insertBefore(h("p", { class: "notice notice-info queue-return", role: "status" }, `${message} It is your turn again: choose your seats.`), element.children[1] ?? null);
      },
    });
    stopFeed = queue.dispose;
    element.replaceChildren(eventDetails(response), queue.element);
    focusHeading(element);
  }

  const failed = (error: unknown) => {
    if (left) return;
    const problem = problemOf(error);
    element.replaceChildren(h("h1", {}, "Event not available"), h("p", { class: "notice notice-error", role: "alert" }, problem.message), h("p", {}, h("a", { href: "/" }, "Back to search")));
  };
  void load().catch(failed);

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
    panel = createOrderPanel(
      app,
      eventId,
      seatMap,
      (now) => (event ? saleStateOf(event, response.venue?.timezone, now) : { open: true }),
      (message) => {
        stopFeed?.();
        panel?.dispose();
        panel = undefined;
        throughQueue(response, () => show(response), message);
      },
      event?.purchaseLimit,
    );
    const liveState = liveStateLine();
    stopFeed = watchTicketStatuses(app.api.catalog, eventId, (update) => seatMap.applyStatuses(update.changes, update.snapshot), liveState.setMode);
    element.replaceChildren(
      eventDetails(response),
      priceTiers(response.sections, seatMap.sectionName),
      h(
        "div",
        { class: "booking-layout" },
        h("section", { class: "seat-map-section", "aria-labelledby": "seat-map-heading" }, h("h2", { id: "seat-map-heading" }, "Choose your seats"), liveState.element, seatMap.element),
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
