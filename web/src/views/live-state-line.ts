import { h } from "../dom.js";
import type { FeedMode } from "../live/live-feed.js";

/** The line that says whether the seat map is live or refreshing. */
export function liveStateLine(): { element: HTMLElement; setMode(mode: FeedMode): void } {
  const element = h("p", { class: "live-state", "data-mode": "connecting" }, "Connecting to live seat updates…");
  return {
    element,
    setMode(mode) {
      element.dataset.mode = mode;
      element.textContent = mode === "live" ? "Seat map updates live." : "Live updates paused: refreshing every few seconds.";
    },
  };
}
