import { timestampDate } from "@bufbuild/protobuf/wkt";
import { PlaceStatus, QueueState, type QueuePlace } from "../../../gen/boxoffice/queue/v1/queue_pb.js";
import { h } from "../dom.js";
import { formatQueueWait, queueProgress } from "../format/queue-wait.js";
import { venueTime } from "./venue-time.js";

export interface QueuePanel {
  element: HTMLElement;
  /** Shows a place; `firstPosition` is where this buyer started, for the progress bar. */
  show(place: QueuePlace, firstPosition: number): void;
  /** A state without a place yet (signing in, joining). */
  setStatus(text: string): void;
  /** A sentence above the place (why the buyer is back here, or what went wrong). */
  say(message: string, tone?: "error" | "info"): void;
  /** Not in line (left, or no waiting room open yet): the sentence, what follows, and no progress. */
  notInLine(text: string, detail?: string): void;
  /** Replaces the place with an action (sign in, join again) or nothing. */
  setAction(action: HTMLElement | undefined): void;
  setMode(mode: "live" | "polling"): void;
}

/**
 * The waiting room as the buyer sees it: position, estimated wait, a progress bar and what
 * happens next. The position and state sit in a polite live region that changes only when
 * they do, so a screen reader hears each move without the estimate's every tick.
 */
export function createQueuePanel(timeZone: string | undefined): QueuePanel {
  const notice = h("div", { class: "queue-notice", role: "alert" });
  const status = h("p", { class: "queue-status", role: "status", "aria-live": "polite", "aria-atomic": "true" }, "Joining the queue…");
  const wait = h("p", { class: "queue-wait" });
  const fill = h("span", { class: "queue-progress-fill" });
  const progress = h(
    "div",
    { class: "queue-progress", role: "progressbar", "aria-label": "Your progress through the queue", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0 },
    fill,
  );
  const action = h("div", { class: "queue-action" });
  const mode = h("p", { class: "queue-mode muted" });
  const next = h(
    "div",
    { class: "queue-next" },
    h("h3", {}, "What happens next"),
    h(
      "ol",
      {},
      h("li", {}, "Keep this page open. There is no need to refresh: your place is kept, and refreshing does not lose it."),
      h("li", {}, "When it is your turn, the seat map opens by itself."),
      h("li", {}, "You then have a limited time to reserve seats and pay. Reserved seats are held for 10 minutes."),
    ),
  );
  const element = h(
    "section",
    { class: "queue-panel", "aria-labelledby": "queue-heading" },
    h("h2", { id: "queue-heading" }, "Waiting room"),
    notice,
    status,
    wait,
    progress,
    action,
    mode,
    next,
  );

  const setText = (target: HTMLElement, text: string) => {
    if (target.textContent !== text) target.textContent = text;
  };
  const setProgress = (percent: number) => {
    progress.setAttribute("aria-valuenow", String(percent));
    progress.setAttribute("aria-valuetext", `${percent}%`);
    fill.style.width = `${percent}%`;
  };

  return {
    element,
    show(place, firstPosition) {
      const position = Number(place.position);
      element.dataset.status = PlaceStatus[place.status] ?? "UNSPECIFIED";
      // In line again after leaving: the bar and the steps come back (sold out hides them below).
      progress.hidden = false;
      next.hidden = false;
      switch (place.status) {
        case PlaceStatus.WAITING:
          setText(status, `You are number ${position} in line.`);
          setText(
            wait,
            place.queueState === QueueState.PAUSED || place.estimatedWaitSeconds === undefined
              ? "Admission is paused for a moment; your place is kept."
              : `Estimated wait: ${formatQueueWait(Number(place.estimatedWaitSeconds))}.`,
          );
          setProgress(queueProgress(firstPosition, position));
          break;
        case PlaceStatus.WAITING_FOR_ON_SALE:
          setText(status, "You are in. Sales have not opened yet.");
          wait.replaceChildren(
            "Everyone who arrives before sales open gets a place drawn at random when they open",
            place.onSaleAt ? h("span", {}, " (", venueTime(place.onSaleAt, timeZone), ")") : "",
            ", so arriving earlier or refreshing does not change it.",
          );
          setProgress(0);
          break;
        case PlaceStatus.ADMITTED:
          setText(status, "It is your turn. Opening the seat map…");
          setText(wait, place.admissionExpiresAt ? `Reserve and pay before ${timestampDate(place.admissionExpiresAt).toLocaleTimeString()}.` : "");
          setProgress(100);
          break;
        case PlaceStatus.SOLD_OUT:
          setText(status, "Sorry, this event is sold out.");
          setText(wait, "Every ticket has been sold, so nobody more is being admitted. You have not been charged.");
          setProgress(0);
          progress.hidden = true;
          next.hidden = true;
          break;
        default:
          setText(status, place.message);
          setText(wait, "");
      }
    },
    setStatus(text) {
      setText(status, text);
      setText(wait, "");
    },
    notInLine(text, detail) {
      element.dataset.status = "NOT_IN_LINE";
      setText(status, text);
      setText(wait, detail ?? "");
      // No place, so no progress through the line and no steps that speak of one.
      setProgress(0);
      progress.hidden = true;
      next.hidden = true;
    },
    say(message, tone = "error") {
      notice.className = `queue-notice notice notice-${tone}`;
      notice.textContent = message;
    },
    setAction(content) {
      action.replaceChildren(...(content ? [content] : []));
    },
    setMode(feedMode) {
      mode.textContent = feedMode === "live" ? "" : "Live updates paused: checking your place every few seconds.";
    },
  };
}
