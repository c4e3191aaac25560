import { EventTicketState, type TicketWatchDeps, type WatchUpdate } from "./event-ticket-state.js";
import type { TicketStatus, TicketStatusUpdate } from "./catalog-types.js";

export type { Ticker, TicketWatchDeps, WatchUpdate } from "./event-ticket-state.js";

/** WatchEventTickets: the snapshot, then each change, for as long as the caller listens. */
export function createTicketWatches(deps: TicketWatchDeps) {
  const states = new Map<string, { state: EventTicketState; ready: Promise<void>; watchers: number }>();
  const ends = new Set<() => void>();

  function join(eventId: string) {
    let entry = states.get(eventId);
    if (!entry) {
      const state = new EventTicketState(eventId, deps);
      const ready = state.start();
      const created = { state, ready, watchers: 0 };
      states.set(eventId, created);
      ready.catch(() => {
        if (states.get(eventId) === created) states.delete(eventId);
      });
      entry = created;
    }
    entry.watchers += 1;
    return entry;
  }

  function leave(eventId: string, entry: NonNullable<ReturnType<typeof states.get>>) {
    entry.watchers -= 1;
    if (entry.watchers > 0) return;
    if (states.get(eventId) === entry) states.delete(eventId);
    entry.ready.then(() => entry.state.stop(), () => undefined);
  }

  return {
    async *watch(eventId: string, signal: AbortSignal): AsyncGenerator<WatchUpdate> {
      const entry = join(eventId);
      let wake: (() => void) | undefined;
      let ended = false;
      const end = () => {
        ended = true;
        wake?.();
      };
      ends.add(end);
      signal.addEventListener("abort", end);
      if (signal.aborted) end();
      // A slow reader's changes pile up here, one entry per ticket: memory stays bounded by
      // the event's size and the reader gets the latest status when it catches up.
      let pending = new Map<string, TicketStatus>();
      let snapshot: TicketStatusUpdate[] | undefined;
      let holdsUnknown = false;
      let holdsUnknownSent = false;
      let listening: ReturnType<EventTicketState["listen"]> | undefined;
      try {
        await entry.ready;
        listening = entry.state.listen((update) => {
          holdsUnknown = update.holdsUnknown;
          if (update.snapshot) {
            snapshot = update.changes;
            pending = new Map();
          } else {
            for (const { ticketId, status } of update.changes) pending.set(ticketId, status);
          }
          wake?.();
        });
        holdsUnknown = holdsUnknownSent = listening.holdsUnknown;
        yield { snapshot: true, changes: listening.snapshot, holdsUnknown };
        while (!ended) {
          if (!snapshot && pending.size === 0 && holdsUnknown === holdsUnknownSent) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          const update: WatchUpdate = snapshot
            ? { snapshot: true, changes: snapshot, holdsUnknown }
            : { snapshot: false, changes: [...pending].map(([ticketId, status]) => ({ ticketId, status })), holdsUnknown };
          snapshot = undefined;
          pending = new Map();
          holdsUnknownSent = holdsUnknown;
          yield update;
        }
      } finally {
        listening?.leave();
        signal.removeEventListener("abort", end);
        ends.delete(end);
        leave(eventId, entry);
      }
    },

    /** Events with a live state in this process now. */
    watchedEvents(): string[] {
      return [...states.keys()];
    },

    /** Ends every stream normally, e.g. on shutdown, so clients reconnect to another replica. */
    endAll(): void {
      for (const end of [...ends]) end();
    },
  };
}

export type TicketWatches = ReturnType<typeof createTicketWatches>;
