import { setTimeout as sleep } from "node:timers/promises";
import type { Place } from "./domain/queue-types.js";
import type { WaitingRoom } from "./domain/waiting-room.js";

export type PlaceWatches = ReturnType<typeof createPlaceWatches>;

/** Places after which nothing more is to be watched: the buyer acts (reserve, or rejoin) or goes. */
const FINAL: ReadonlySet<Place["kind"]> = new Set(["admitted", "admission_expired", "sold_out", "not_in_queue"]);

/** What the buyer sees of a place; the estimate in whole seconds, so its drift alone sends nothing. */
const seen = (place: Place) =>
  JSON.stringify([place.kind, place.waiting, place.queue.paused, "position" in place ? place.position : 0, "estimatedWaitMs" in place ? Math.ceil((place.estimatedWaitMs ?? -1000) / 1000) : 0]);

/**
 * WatchQueuePosition: the place now, then each change, read every `pollMs` (a place moves
 * only when the admission worker steps, about as often). Ends after a final place, or when
 * the caller goes, or at endAll() (shutdown; the browser reconnects and keeps its place).
 */
export function createPlaceWatches(room: WaitingRoom, pollMs: number, wait: (ms: number, signal: AbortSignal) => Promise<unknown> = (ms, signal) => sleep(ms, undefined, { signal })) {
  const open = new Set<AbortController>();
  return {
    async *watch(userId: string, eventId: string, signal: AbortSignal): AsyncGenerator<Place> {
      const ending = new AbortController();
      open.add(ending);
      const stop = AbortSignal.any([signal, ending.signal]);
      try {
        let last = "";
        while (!stop.aborted) {
          const place = await room.place(userId, eventId);
          if (seen(place) !== last) {
            last = seen(place);
            yield place;
          }
          if (FINAL.has(place.kind)) return;
          await wait(pollMs, stop).catch(() => undefined);
        }
      } finally {
        open.delete(ending);
      }
    },
    endAll() {
      for (const ending of open) ending.abort();
    },
  };
}
