import { MessageFanout } from "../../shared/streams/message-fanout.js";
import { CompactAvailability, type CompactWatchUpdate, type LayoutOf } from "./compact-watch.js";
import { EventTicketState, type TicketWatchDeps, type WatchUpdate } from "./event-ticket-state.js";

export type { Ticker, TicketWatchDeps, WatchUpdate } from "./event-ticket-state.js";

/** Messages a watcher may fall behind before it is sent a fresh snapshot instead of them. */
export const DEFAULT_WATCH_MAX_LAG = 64;

interface WatchedEvent {
  state: EventTicketState;
  /** The per-ticket form, once the first read is done. */
  full: Promise<MessageFanout<WatchUpdate>>;
  /** The compact form, started by the event's first compact watcher. */
  compact: Promise<MessageFanout<CompactWatchUpdate>> | undefined;
  stop: AbortController;
  watchers: number;
}

/**
 * WatchEventTickets: the snapshot, then each change, for as long as the caller listens. Per
 * watched event, one live state and one fanout per form: every change is turned into a message
 * once, the snapshot is built once per state, and all of the event's watchers share them.
 */
export function createTicketWatches(deps: TicketWatchDeps & { maxLag?: number }) {
  const maxLag = deps.maxLag ?? DEFAULT_WATCH_MAX_LAG;
  const events = new Map<string, WatchedEvent>();
  let draining = false;

  function join(eventId: string): WatchedEvent {
    let entry = events.get(eventId);
    if (!entry) {
      const state = new EventTicketState(eventId, deps);
      const full = state.start().then(() => {
        const fanout = new MessageFanout<WatchUpdate>({ snapshot: () => state.current(), maxLag });
        state.onUpdate((update) => fanout.publish(update));
        if (draining) fanout.close();
        return fanout;
      });
      const created: WatchedEvent = { state, full, compact: undefined, stop: new AbortController(), watchers: 0 };
      events.set(eventId, created);
      full.catch(() => {
        if (events.get(eventId) === created) events.delete(eventId);
      });
      entry = created;
    }
    entry.watchers += 1;
    return entry;
  }

  function leave(eventId: string, entry: WatchedEvent) {
    entry.watchers -= 1;
    if (entry.watchers > 0) return;
    if (events.get(eventId) === entry) events.delete(eventId);
    entry.stop.abort();
    entry.full.then(() => entry.state.stop(), () => undefined);
  }

  function compactOf(entry: WatchedEvent, full: MessageFanout<WatchUpdate>, layoutOf: LayoutOf) {
    if (!entry.compact) {
      const started = startCompact(full, layoutOf, entry.stop.signal, maxLag);
      entry.compact = started;
      // A failed start (the layout could not be read) is tried again by the next watcher.
      started.catch(() => {
        if (entry.compact === started) entry.compact = undefined;
      });
    }
    return entry.compact;
  }

  async function* watching<M>(eventId: string, fanoutOf: (entry: WatchedEvent) => Promise<MessageFanout<M>>, signal: AbortSignal): AsyncGenerator<M> {
    const entry = join(eventId);
    try {
      const fanout = await fanoutOf(entry);
      yield* fanout.subscribe(signal);
    } finally {
      leave(eventId, entry);
    }
  }

  return {
    watch(eventId: string, signal: AbortSignal): AsyncGenerator<WatchUpdate> {
      return watching(eventId, (entry) => entry.full, signal);
    },

    /** The compact form: availability bits, then seat changes by layout position. */
    watchCompact(eventId: string, signal: AbortSignal, layoutOf: LayoutOf): AsyncGenerator<CompactWatchUpdate> {
      return watching(eventId, async (entry) => compactOf(entry, await entry.full, layoutOf), signal);
    },

    /** Events with a live state in this process now. */
    watchedEvents(): string[] {
      return [...events.keys()];
    },

    /** Ends every stream normally, e.g. on shutdown, so clients reconnect to another replica. */
    endAll(): void {
      draining = true;
      for (const entry of events.values()) {
        void entry.full.then((fanout) => fanout.close(), () => undefined);
        void entry.compact?.then((fanout) => fanout.close(), () => undefined);
      }
    },
  };
}

/**
 * The compact form of one event: a reader of the per-ticket fanout that turns each update into
 * its compact message once, for every compact watcher.
 */
async function startCompact(full: MessageFanout<WatchUpdate>, layoutOf: LayoutOf, signal: AbortSignal, maxLag: number): Promise<MessageFanout<CompactWatchUpdate>> {
  const availability = new CompactAvailability(layoutOf);
  const updates = full.subscribe(signal);
  try {
    const first = await updates.next();
    if (first.done) throw new Error("the event's watch ended before its first message");
    await availability.apply(first.value);
  } catch (error) {
    await updates.return();
    throw error;
  }
  const fanout = new MessageFanout<CompactWatchUpdate>({ snapshot: () => availability.snapshot(), maxLag });
  void (async () => {
    try {
      for await (const update of updates) fanout.publish(await availability.apply(update));
      fanout.close();
    } catch (error) {
      fanout.close(error);
    }
  })();
  return fanout;
}

export type TicketWatches = ReturnType<typeof createTicketWatches>;
