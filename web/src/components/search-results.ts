import type { EventSummary } from "../../../gen/boxoffice/search/v1/search_pb.js";
import { h } from "../dom.js";
import { eventTypeLabel } from "../format/labels.js";
import { formatMoney } from "../format/money.js";
import { venueTime } from "./venue-time.js";

/** One page of results as a list of links to the events. */
export function searchResultList(events: readonly EventSummary[]): HTMLElement {
  return h(
    "ol",
    { class: "result-list", "aria-label": "Events" },
    events.map((event) =>
      h(
        "li",
        { class: "result-card" },
        h("h2", { class: "result-title" }, h("a", { href: `/event/${encodeURIComponent(event.id)}` }, event.name)),
        h("p", { class: "result-when" }, venueTime(event.startsAt, event.venueTimezone)),
        h("p", { class: "result-where" }, `${event.venueName} · ${event.city}`),
        event.performers.length > 0 && h("p", { class: "result-performers" }, event.performers.join(", ")),
        h(
          "p",
          { class: "result-meta" },
          h("span", { class: "badge" }, eventTypeLabel(event.type)),
          event.ticketsAvailable
            ? h("span", { class: "result-price" }, event.lowestPrice ? `from ${formatMoney(event.lowestPrice)}` : "")
            : h("span", { class: "badge badge-sold-out" }, "Sold out"),
        ),
      ),
    ),
  );
}
