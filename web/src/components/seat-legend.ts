import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { h } from "../dom.js";

/** How a seat looks to this buyer: the ticket's live status, plus their own selection and holds. */
export type SeatLook = "available" | "selected" | "mine" | "reserved" | "booked";

export const LOOK_WORDS: Record<SeatLook, string> = {
  available: "available",
  selected: "selected",
  mine: "held for you",
  reserved: "reserved by another buyer",
  booked: "sold",
};

/** The colours' key, so the map is readable without guessing. */
export function seatLegend(): HTMLElement {
  return h(
    "ul",
    { class: "seat-legend", "aria-label": "Seat colours" },
    (Object.keys(LOOK_WORDS) as SeatLook[]).map((look) => h("li", {}, h("span", { class: "seat seat-swatch", "data-status": look, "aria-hidden": "true" }), LOOK_WORDS[look])),
  );
}

/** How a seat shows: the buyer's own hold first, then their selection, then its live status. */
export function seatLook(mine: boolean, selected: boolean, status: TicketStatus | undefined): SeatLook {
  if (mine) return "mine";
  if (selected) return "selected";
  if (status === TicketStatus.BOOKED) return "booked";
  if (status === TicketStatus.RESERVED) return "reserved";
  return "available";
}
