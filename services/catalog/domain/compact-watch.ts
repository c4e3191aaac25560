import type { TicketStatus, TicketStatusUpdate } from "./catalog-types.js";
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

/** The event's layout; fresh when the cached one is known to be stale. */
export type LayoutOf = (fresh: boolean) => Promise<SeatPositions>;

/**
 * One event's availability bits, kept current from its watch updates and turned into compact
 * messages once per update for all of the event's compact watchers: the bits (12.5 kB for a
 * stadium) and the version hash exist once per event, not once per watcher.
 */
export class CompactAvailability {
  private layout: SeatPositions | undefined;
  private bits = new Uint8Array(0);
  private version = "";
  private holdsUnknown = false;

  constructor(private readonly layoutOf: LayoutOf) {}

  /** Applies one update and returns the message that tells it; a snapshot may fetch the layout. */
  async apply(update: WatchUpdate): Promise<CompactWatchUpdate> {
    this.holdsUnknown = update.holdsUnknown;
    if (update.snapshot || !this.layout) {
      // A snapshot after the first means the tickets changed, or a reader caught up: only the
      // former makes the cached layout stale.
      if (!this.layout || !fits(this.layout, update.changes)) this.layout = await this.layoutOf(this.layout !== undefined);
      const layout = this.layout;
      this.bits = new Uint8Array(availabilityBytes(layout.seatCount));
      for (const { ticketId, status } of update.changes) {
        const position = layout.positionOf.get(ticketId);
        if (position !== undefined) setSeatState(this.bits, position, status);
      }
      this.version = availabilityVersion(layout.version, this.bits, !update.holdsUnknown);
      return this.snapshot();
    }
    const seatChanges: CompactWatchUpdate["seatChanges"] = [];
    for (const { ticketId, status } of update.changes) {
      const position = this.layout.positionOf.get(ticketId);
      if (position === undefined || seatState(this.bits, position) === status) continue;
      setSeatState(this.bits, position, status);
      seatChanges.push({ position, status });
    }
    this.version = availabilityVersion(this.layout.version, this.bits, !update.holdsUnknown);
    return { snapshot: false, layoutVersion: this.layout.version, bits: undefined, seatChanges, availabilityVersion: this.version, holdsUnknown: update.holdsUnknown };
  }

  /** Every seat's state now (after the first apply). */
  snapshot(): CompactWatchUpdate {
    return { snapshot: true, layoutVersion: this.layout?.version ?? "", bits: this.bits.slice(), seatChanges: [], availabilityVersion: this.version, holdsUnknown: this.holdsUnknown };
  }
}

/** Whether a snapshot's tickets are exactly the layout's seats. */
function fits(layout: SeatPositions, tickets: readonly TicketStatusUpdate[]): boolean {
  return tickets.length === layout.seatCount && tickets.every(({ ticketId }) => layout.positionOf.has(ticketId));
}
