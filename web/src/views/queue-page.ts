import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { PlaceStatus, type QueuePlace } from "../../../gen/boxoffice/queue/v1/queue_pb.js";
import { problemOf } from "../api/problem.js";
import type { AppContext } from "../app-context.js";
import { createQueuePanel } from "../components/queue-panel.js";
import { announce, h } from "../dom.js";
import { watchQueuePlace } from "../live/queue-feed.js";

export interface QueuePageOptions {
  eventId: string;
  /** The venue's zone, for the on-sale time. */
  timeZone: string | undefined;
  /** Why the buyer is here again (an admission that ran out), shown above the place. */
  message?: string;
  /** Admitted (the admission is stored): show the seat map. */
  onAdmitted(): void;
}

const FIRST_POSITION_PREFIX = "boxoffice.queue-first.";
/** How often a page whose event's waiting room is not open yet asks again. */
const NOT_OPEN_RETRY_MS = 10_000;

/**
 * The waiting room of a high-demand event: signs the buyer in, joins (joining again answers
 * the same place, so a refresh or a second tab is harmless), follows the place live and hands
 * over to the seat map on admission. Sold out ends here with a way back to search.
 */
export function queuePage(app: AppContext, options: QueuePageOptions): { element: HTMLElement; dispose(): void } {
  const { eventId } = options;
  const panel = createQueuePanel(options.timeZone);
  let stopFeed: (() => void) | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let left = false;
  // Where the buyer started, kept across a refresh so the progress bar does not start over.
  let firstPosition = Number(sessionStorage.getItem(FIRST_POSITION_PREFIX + eventId) ?? 0);
  if (options.message) panel.say(options.message);

  const stop = () => {
    stopFeed?.();
    stopFeed = undefined;
    clearTimeout(retryTimer);
  };
  const button = (label: string, onclick: () => void, kind = "primary") => h("button", { type: "button", class: `button ${kind}`, onclick }, label);
  // One button for the whole wait: each update of the place keeps it (and the keyboard's focus on it).
  const leaveAction = button("Leave the queue", () => void leave(), "leave-queue");

  function handle(place: QueuePlace): void {
    if (left) return;
    const position = Number(place.position);
    if (place.status === PlaceStatus.WAITING && position > firstPosition) {
      firstPosition = position;
      sessionStorage.setItem(FIRST_POSITION_PREFIX + eventId, String(position));
    }
    panel.show(place, firstPosition);
    switch (place.status) {
      case PlaceStatus.ADMITTED:
        stop();
        sessionStorage.removeItem(FIRST_POSITION_PREFIX + eventId);
        app.admissions.set(eventId, { token: place.admissionToken, expiresAt: place.admissionExpiresAt ? timestampDate(place.admissionExpiresAt) : new Date(Date.now() + 60_000) });
        announce("It is your turn. The seat map is open.");
        options.onAdmitted();
        return;
      case PlaceStatus.SOLD_OUT:
        stop();
        sessionStorage.removeItem(FIRST_POSITION_PREFIX + eventId);
        panel.setAction(h("a", { class: "button", href: "/" }, "Find another event"));
        announce("Sorry, this event is sold out.");
        return;
      case PlaceStatus.ADMISSION_EXPIRED:
        // Joining again replaces a spent admission with a new place at the back.
        stop();
        panel.say("Your turn to buy ran out, so you have a new place at the back of the queue.");
        void join();
        return;
      case PlaceStatus.NOT_IN_QUEUE:
        stop();
        panel.setAction(button("Join the queue", () => void join()));
        return;
      case PlaceStatus.WAITING:
      case PlaceStatus.WAITING_FOR_ON_SALE:
        if (!leaveAction.isConnected) panel.setAction(leaveAction);
        return;
    }
  }

  /** Gives the place up (LeaveQueue); joining again later takes a new place at the back. */
  async function leave(): Promise<void> {
    stop();
    panel.setAction(undefined);
    try {
      await app.api.queue.leaveQueue({ eventId });
    } catch (error) {
      if (left) return;
      panel.say(problemOf(error).message);
      panel.setAction(leaveAction);
      return;
    }
    if (left) return;
    sessionStorage.removeItem(FIRST_POSITION_PREFIX + eventId);
    firstPosition = 0;
    panel.notInLine("You left the queue. Joining again puts you at the back of the line.");
    panel.setAction(h("div", { class: "queue-actions" }, button("Join the queue again", () => void join()), h("a", { class: "button", href: "/" }, "Find another event")));
    announce("You left the queue.");
  }

  /**
   * A high-demand event sells only through its waiting room: before the organiser opens it the
   * page says so, and joins by itself once it opens (or when asked to check now).
   */
  function notOpenYet(): void {
    panel.notInLine("Sales for this event open through a waiting room, and it is not open yet.", "This page joins it for you as soon as it opens: keep it open, or come back later.");
    panel.setAction(button("Check again", () => void join()));
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void join(), NOT_OPEN_RETRY_MS);
  }

  async function join(): Promise<void> {
    clearTimeout(retryTimer);
    panel.setAction(undefined);
    if (!app.session.current()) {
      panel.setStatus("Sign in to join the queue for this event.");
      panel.setAction(
        button("Sign in to join the queue", async () => {
          if (await app.requireSignIn("Sign in to join the queue for this event.")) void join();
        }),
      );
      return;
    }
    try {
      const { place } = await app.api.queue.joinQueue({ eventId });
      if (left || !place) return;
      handle(place);
      if (place.status === PlaceStatus.WAITING || place.status === PlaceStatus.WAITING_FOR_ON_SALE) {
        stop();
        stopFeed = watchQueuePlace(app.api.queue, eventId, handle, panel.setMode);
      }
    } catch (error) {
      if (left) return;
      const problem = problemOf(error);
      // No waiting room open yet: a high-demand event sells through nothing else.
      if (problem.code === Code.NotFound) return notOpenYet();
      if (problem.code === Code.Unauthenticated) return void join();
      panel.say(problem.message);
      panel.setAction(button("Try again", () => void join()));
    }
  }

  void join();
  return {
    element: panel.element,
    dispose() {
      left = true;
      stop();
    },
  };
}
