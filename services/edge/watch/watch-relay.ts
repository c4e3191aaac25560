import { Code, ConnectError } from "@connectrpc/connect";
import { WatchEventTicketsResponseSchema, type WatchEventTicketsResponse } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { MessageFanout } from "../../shared/streams/message-fanout.js";
import { SharedMessage } from "./shared-message.js";
import { mergeWatchChanges } from "./watch-merge.js";
import { availabilityReplica, ticketReplica } from "./watch-replica.js";

type Shared = SharedMessage<typeof WatchEventTicketsResponseSchema>;

/** Opens the catalog's WatchEventTickets stream for one event and form. */
export type OpenUpstream = (eventId: string, compact: boolean, signal: AbortSignal) => AsyncIterable<WatchEventTicketsResponse>;

interface Relay {
  fanout: Promise<MessageFanout<Shared>>;
  stop: AbortController;
  watchers: number;
}

export interface WatchRelayOptions {
  /** Messages a browser may fall behind before it is sent a fresh snapshot instead of them. */
  maxLag: number;
  /** Changes within this window reach a browser as one message (0: each as it comes). */
  coalesceMs: number;
}

/**
 * The edge's WatchEventTickets: one stream to the catalog per event and form in this process,
 * however many browsers watch, each browser fed from a fanout of the upstream's messages. A
 * late joiner's snapshot is built here from the state the stream told (once per state), so
 * joining costs the catalog nothing. When the upstream ends or fails, its browsers' streams end
 * the same way and they reconnect, to a fresh upstream.
 */
export function createWatchRelay(open: OpenUpstream, options: WatchRelayOptions) {
  const relays = new Map<string, Relay>();

  function start(key: string, eventId: string, compact: boolean): Relay {
    const stop = new AbortController();
    const replica = compact ? availabilityReplica() : ticketReplica();
    const relay: Relay = { fanout: connect(), stop, watchers: 0 };
    const forget = () => {
      if (relays.get(key) === relay) relays.delete(key);
    };
    relay.fanout.catch(forget);

    async function connect(): Promise<MessageFanout<Shared>> {
      const upstream = open(eventId, compact, stop.signal)[Symbol.asyncIterator]();
      const first = await upstream.next();
      if (first.done) throw new ConnectError("the catalog ended the watch before its first message; retry", Code.Unavailable);
      replica.apply(first.value);
      const fanout: MessageFanout<Shared> = new MessageFanout<Shared>({
        snapshot: () => new SharedMessage(WatchEventTicketsResponseSchema, replica.snapshot()),
        maxLag: options.maxLag,
        coalesce: {
          intervalMs: options.coalesceMs,
          // A run always ends at the newest message, so the snapshot now is a valid merge of it.
          merge: (run) => {
            const merged = mergeWatchChanges(run.map((shared) => shared.message));
            return merged ? new SharedMessage(WatchEventTicketsResponseSchema, merged) : fanout.snapshot();
          },
        },
      });
      void (async () => {
        try {
          for (let next = await upstream.next(); !next.done; next = await upstream.next()) {
            replica.apply(next.value);
            fanout.publish(new SharedMessage(WatchEventTicketsResponseSchema, next.value));
          }
          forget();
          fanout.close();
        } catch (error) {
          forget();
          fanout.close(stop.signal.aborted ? undefined : error);
        }
      })();
      return fanout;
    }
    return relay;
  }

  function leave(key: string, relay: Relay) {
    relay.watchers -= 1;
    if (relay.watchers > 0) return;
    if (relays.get(key) === relay) relays.delete(key);
    relay.stop.abort();
  }

  return {
    /** The event's watch for one browser: the snapshot, then the changes. */
    async *watch(eventId: string, compact: boolean, signal: AbortSignal): AsyncGenerator<Shared> {
      const key = `${compact ? "compact" : "tickets"}:${eventId}`;
      let relay = relays.get(key);
      if (!relay) relays.set(key, (relay = start(key, eventId, compact)));
      relay.watchers += 1;
      try {
        yield* (await relay.fanout).subscribe(signal);
      } finally {
        leave(key, relay);
      }
    },

    /** Streams to the catalog open now. */
    upstreams(): number {
      return relays.size;
    },
  };
}

export type WatchRelay = ReturnType<typeof createWatchRelay>;
