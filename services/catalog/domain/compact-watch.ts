import type { TicketStatus } from "./catalog-types.js";
import type { SeatPositions } from "./event-layout.js";
import { availabilityBytes, availabilityVersion, seatState, setSeatState } from "./seat-availability.js";
import type { WatchUpdate } from "./event-ticket-state.js";

/** A watch message in the compact form: the bits once, then seat changes by position. */
export interface CompactWatchUpdate {
  snapshot: boolean;
  layoutVersion: string;
  /** Snapshot messages only: every seat's state (seat-availability.ts). */
  bits: Uint8Array | undefined;
  /** Later messages: the seats that changed. */
  seatChanges: Array<{ position: number; status: TicketStatus }>;
  /** Equals the availability version of GetEventAvailability for the same state. */
  availabilityVersion: string;
  holdsUnknown: boolean;
}

/**
 * Turns a watch's per-ticket updates into the compact form, for one watcher: its own copy of
 * the bits (12.5 kB for a stadium) so each message can carry the version of the state it
 * leads to. A snapshot (the first message, or tickets regenerated) asks for the layout again.
 */
export async function* compactUpdates(
  updates: AsyncIterable<WatchUpdate>,
  layoutOf: (fresh: boolean) => Promise<SeatPositions>,
): AsyncGenerator<CompactWatchUpdate> {
  let layout: SeatPositions | undefined;
  let bits = new Uint8Array(0);
  for await (const update of updates) {
    if (update.snapshot || !layout) {
      // After the first, a snapshot means the tickets changed: the cached layout is stale.
      layout = await layoutOf(layout !== undefined);
      bits = new Uint8Array(availabilityBytes(layout.seatCount));
      for (const { ticketId, status } of update.changes) {
        const position = layout.positionOf.get(ticketId);
        if (position !== undefined) setSeatState(bits, position, status);
      }
      yield { snapshot: true, layoutVersion: layout.version, bits: bits.slice(), seatChanges: [], availabilityVersion: availabilityVersion(layout.version, bits, !update.holdsUnknown), holdsUnknown: update.holdsUnknown };
      continue;
    }
    const seatChanges: CompactWatchUpdate["seatChanges"] = [];
    for (const { ticketId, status } of update.changes) {
      const position = layout.positionOf.get(ticketId);
      if (position === undefined || seatState(bits, position) === status) continue;
      setSeatState(bits, position, status);
      seatChanges.push({ position, status });
    }
    yield { snapshot: false, layoutVersion: layout.version, bits: undefined, seatChanges, availabilityVersion: availabilityVersion(layout.version, bits, !update.holdsUnknown), holdsUnknown: update.holdsUnknown };
  }
}
