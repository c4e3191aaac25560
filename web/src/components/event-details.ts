import type { GetEventResponse } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { EventStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { h } from "../dom.js";
import { eventTypeLabel } from "../format/labels.js";
import { venueTime } from "./venue-time.js";

/** The event's heading, when and where, who performs, and what it is about. */
export function eventDetails({ event, venue, performers }: Pick<GetEventResponse, "event" | "venue" | "performers">): HTMLElement {
  if (!event) return h("div");
  return h(
    "header",
    { class: "event-details" },
    h("p", { class: "event-kicker" }, h("span", { class: "badge" }, eventTypeLabel(event.type)), event.highDemand ? h("span", { class: "badge badge-hot" }, "High demand") : ""),
    h("h1", {}, event.name),
    event.status === EventStatus.CANCELLED ? h("p", { class: "notice notice-error" }, "This event is cancelled.") : "",
    h("p", { class: "event-when" }, venueTime(event.startsAt, venue?.timezone)),
    venue ? h("p", { class: "event-where" }, h("strong", {}, venue.name), ` · ${venue.address}, ${venue.city}`) : "",
    performers.length > 0
      ? h(
          "ul",
          { class: "performers", "aria-label": "Performers" },
          performers.map((performer) => h("li", {}, h("strong", {}, performer.name), performer.genre ? ` (${performer.genre})` : "")),
        )
      : "",
    event.description ? h("p", { class: "event-description" }, event.description) : "",
  );
}
