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
