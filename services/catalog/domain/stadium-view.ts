import { notFound } from "../../shared/errors/domain-error.js";
import type { HoldReader } from "../../shared/holds/ticket-holds.js";
import type { EventStatic } from "./catalog-types.js";
import type { EventStore } from "./event-reader.js";
import { buildEventLayout, type EventLayout } from "./event-layout.js";
import { readEventHolds } from "./held-tickets.js";
import { availabilityVersion, encodeAvailability, sectionCounts, type SectionCounts } from "./seat-availability.js";

export interface EventAvailability {
  eventId: string;
  layoutVersion: string;
  version: string;
  bits: Uint8Array;
  sections: SectionCounts[];
  holdsKnown: boolean;
}

export interface StadiumViewDeps {
  /** The event's static part (cached); throws not_found for an unknown event. */
  staticPart(eventId: string): Promise<EventStatic>;
  store: Pick<EventStore, "bookedTicketIds">;
  holds: HoldReader;
  now: () => number;
  /**
   * How old a layout or availability may be when served. Hundreds of views a second of one
   * event then cost one booked-ids query and one hold-index read per node per interval.
   */
  maxAgeMs: number;
}

interface Memo<T> {
  at: number;
  value: Promise<T>;
}

/**
 * GetEventLayout and GetEventAvailability: the layout and the live bits of each viewed event,
 * each rebuilt at most once per maxAgeMs per process and shared by every view meanwhile.
 */
export function createStadiumView({ staticPart, store, holds, now, maxAgeMs }: StadiumViewDeps) {
  const layouts = new Map<string, Memo<EventLayout>>();
  const availabilities = new Map<string, Memo<EventAvailability>>();

  function memoized<T>(memos: Map<string, Memo<T>>, eventId: string, build: () => Promise<T>, fresh = false): Promise<T> {
    const memo = memos.get(eventId);
    if (memo && !fresh && now() - memo.at < maxAgeMs) return memo.value;
    const value = build();
    const created = { at: now(), value };
    memos.set(eventId, created);
    // A failure is not kept: the next view tries again.
    value.catch(() => memos.get(eventId) === created && memos.delete(eventId));
    // Viewed events come and go; an entry past its age is only a stale promise, dropped here.
    for (const [id, old] of memos) if (now() - old.at >= maxAgeMs && id !== eventId) memos.delete(id);
    return value;
  }

  const layout = (eventId: string, fresh = false) => {
    const previous = layouts.get(eventId)?.value;
    return memoized(
      layouts,
      eventId,
      async () => {
        const built = buildEventLayout(await staticPart(eventId));
        // Layouts almost never change: the same version keeps the same object, so everything
        // cached per layout (the encoded answers) stays warm across rebuilds.
        const kept = await previous?.catch(() => undefined);
        return kept?.version === built.version ? kept : built;
      },
      fresh,
    );
  };

  return {
    layout,

    /** This version of the layout, or not_found once the event's layout is another. */
    async layoutVersion(eventId: string, version: string): Promise<EventLayout> {
      let current = await layout(eventId);
      // A version seen on another replica may be newer than ours: look again before refusing.
      if (current.version !== version) current = await layout(eventId, true);
      if (current.version !== version) {
        throw notFound(`layout ${version} of event ${eventId} is not current; the current one is ${current.version}`, {
          field: "version",
          currentVersion: current.version,
        });
      }
      return current;
    },

    availability(eventId: string): Promise<EventAvailability> {
      return memoized(availabilities, eventId, async () => {
        const [current, booked, holdsRead] = await Promise.all([layout(eventId), store.bookedTicketIds(eventId), readEventHolds(holds, eventId)]);
        const bits = encodeAvailability(current, booked, holdsRead.held);
        return {
          eventId,
          layoutVersion: current.version,
          version: availabilityVersion(current.version, bits, holdsRead.known),
          bits,
          sections: sectionCounts(current, bits),
          holdsKnown: holdsRead.known,
        };
      });
    },
  };
}

export type StadiumView = ReturnType<typeof createStadiumView>;
