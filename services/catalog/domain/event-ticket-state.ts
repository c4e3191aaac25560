import { DomainError } from "../../shared/errors/domain-error.js";
import type { HoldReader } from "../../shared/holds/ticket-holds.js";
import type { TicketStatusBus, Unsubscribe } from "../../shared/ticket-events/ticket-status-bus.js";
import type { TicketSeat, TicketStatus, TicketStatusUpdate } from "./catalog-types.js";
import type { EventStore } from "./event-reader.js";
import { readEventHolds, readHeldTickets } from "./held-tickets.js";
import { liveStatus } from "./ticket-status.js";

/** Runs a task again intervalMs after each run ends, until stopped. */
export interface Ticker {
  every(intervalMs: number, task: () => Promise<void>): () => void;
}

export interface WatchUpdate {
  /** True for the complete state (the first message, and after the layout changed). */
  snapshot: boolean;
  changes: TicketStatusUpdate[];
  /** True while the lock store cannot be read: tickets not booked show available, held or not. */
  holdsUnknown: boolean;
}

export interface TicketWatchDeps {
  /** The event's tickets (the cached static part); throws not_found for an unknown event. */
  tickets(eventId: string): Promise<readonly TicketSeat[]>;
  store: Pick<EventStore, "bookedTicketIds" | "bookedAmong">;
  holds: HoldReader;
  bus: TicketStatusBus;
  ticker: Ticker;
  /** Holds vanish by TTL without a message, so the known ones are re-read this often. */
  pollIntervalMs: number;
  /** Every this many polls, the holds of every unbooked ticket are read, catching a lost reservation message. */
  holdScanEveryPolls: number;
  /** Every this many polls, booked tickets and the layout are re-read too, repairing missed messages. */
  resyncEveryPolls: number;
}

type Listener = (update: WatchUpdate) => void;

/** What a poll reads: the holds seen so far, every unbooked ticket's hold, or everything. */
type ReadScope = "reserved" | "holds" | "full";

interface ReadState {
  statuses: Map<string, TicketStatus>;
  holdsKnown: boolean;
}

/**
 * The live state of one event's tickets in this process, shared by all its watchers: one bus
 * subscription and one poller per watched event, however many browsers watch it.
 *
 * Sources: booking's messages on the bus (reserved, released, booked) arrive at once; a poll of
 * the holds (one MGET per lock node) finds holds that expired, which publish nothing; a hold that
 * vanished may mean the ticket was booked, which the database decides. A periodic full re-read
 * repairs anything a lost message left wrong.
 *
 * Without a quorum of lock nodes the state degrades as GetEvent does: booked from the database,
 * the rest available, and watchers told that holds are unknown. Until the nodes answer again
 * every poll asks about every unbooked ticket, so the holds reappear as soon as they can be read.
 */
export class EventTicketState {
  private statuses = new Map<string, TicketStatus>();
  private holdsKnown = true;
  private readonly listeners = new Set<Listener>();
  // Messages that arrive while a poll is reading are newer than what it read: they win.
  private sequence = 0;
  private readonly pushedAt = new Map<string, number>();
  // Messages that arrive before the first read completes, applied after it.
  private buffered: TicketStatusUpdate[][] | undefined = [];
  private polls = 0;
  private unsubscribe: Unsubscribe | undefined;
  private stopTicker: (() => void) | undefined;

  constructor(
    private readonly eventId: string,
    private readonly deps: TicketWatchDeps,
  ) {}

  async start(): Promise<void> {
    // Subscribe before the first read, so no change falls between the two.
    try {
      this.unsubscribe = await this.deps.bus.subscribe(this.eventId, (changes) => this.onMessage(changes));
    } catch (error) {
      throw new DomainError("unavailable", "live ticket updates are unavailable right now; try again shortly", { cause: String(error) });
    }
    try {
      ({ statuses: this.statuses, holdsKnown: this.holdsKnown } = await this.read("full", this.statuses));
    } catch (error) {
      await this.stop();
      throw error;
    }
    const buffered = this.buffered ?? [];
    this.buffered = undefined;
    for (const changes of buffered) this.onMessage(changes);
    this.stopTicker = this.deps.ticker.every(this.deps.pollIntervalMs, () => this.poll());
  }

  async stop(): Promise<void> {
    this.stopTicker?.();
    await this.unsubscribe?.().catch(() => undefined);
  }

  /** Calls the listener with every change from now on; returns how to stop. */
  onUpdate(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The complete state now, as the snapshot a watcher starts from. */
  current(): WatchUpdate {
    return { snapshot: true, changes: this.snapshot(), holdsUnknown: !this.holdsKnown };
  }

  private snapshot(): TicketStatusUpdate[] {
    return [...this.statuses].map(([ticketId, status]) => ({ ticketId, status }));
  }

  private emit(update: Omit<WatchUpdate, "holdsUnknown">, holdsChanged = false): void {
    if (update.snapshot || update.changes.length > 0 || holdsChanged) {
      for (const listener of this.listeners) listener({ ...update, holdsUnknown: !this.holdsKnown });
    }
  }

  private onMessage(changes: readonly TicketStatusUpdate[]): void {
    if (this.buffered) {
      this.buffered.push([...changes]);
      return;
    }
    const applied: TicketStatusUpdate[] = [];
    for (const { ticketId, status } of changes) {
      const current = this.statuses.get(ticketId);
      if (current === undefined) continue; // another event's ticket, or one since regenerated
      this.pushedAt.set(ticketId, ++this.sequence);
      if (current !== status) {
        this.statuses.set(ticketId, status);
        applied.push({ ticketId, status });
      }
    }
    this.emit({ snapshot: false, changes: applied });
  }

  private async poll(): Promise<void> {
    const poll = ++this.polls;
    const scope: ReadScope =
      poll % this.deps.resyncEveryPolls === 0 ? "full" : poll % this.deps.holdScanEveryPolls === 0 || !this.holdsKnown ? "holds" : "reserved";
    const startedAt = this.sequence;
    let next: Map<string, TicketStatus>;
    let holdsKnown: boolean;
    try {
      ({ statuses: next, holdsKnown } = await this.read(scope, this.statuses));
    } catch {
      return; // a failed read changes nothing; the next poll tries again
    }
    const holdsChanged = holdsKnown !== this.holdsKnown;
    this.holdsKnown = holdsKnown;
    const layoutChanged = next.size !== this.statuses.size || [...next.keys()].some((id) => !this.statuses.has(id));
    for (const [ticketId, at] of this.pushedAt) {
      if (at > startedAt && this.statuses.has(ticketId)) next.set(ticketId, this.statuses.get(ticketId)!);
      if (at <= startedAt) this.pushedAt.delete(ticketId);
    }
    if (layoutChanged) {
      this.statuses = next;
      this.emit({ snapshot: true, changes: this.snapshot() }, holdsChanged);
      return;
    }
    const changes: TicketStatusUpdate[] = [];
    for (const [ticketId, status] of next) {
      if (this.statuses.get(ticketId) !== status) changes.push({ ticketId, status });
    }
    this.statuses = next;
    this.emit({ snapshot: false, changes }, holdsChanged);
  }

  /**
   * The state as the stores see it now. A full read takes tickets and bookings afresh. Other
   * polls trust the booked tickets they know (booking is final) and ask the lock nodes about
   * the tickets held so far, which is all that expiry needs (new holds arrive as messages), or
   * now and then read the event's whole hold index, in case a message was lost. The index is
   * one read per lock node whose size follows the holds, not the seats: a stadium with a few
   * hundred holds costs a few hundred entries, never 50,000 keys.
   */
  private async read(scope: ReadScope, known: ReadonlyMap<string, TicketStatus>): Promise<ReadState> {
    if (scope === "full") {
      const ids = (await this.deps.tickets(this.eventId)).map((ticket) => ticket.id);
      const [bookedIds, { held, known: holdsKnown }] = await Promise.all([this.deps.store.bookedTicketIds(this.eventId), readEventHolds(this.deps.holds, this.eventId)]);
      const booked = new Set(bookedIds);
      return { statuses: new Map(ids.map((id) => [id, liveStatus(id, booked, held)])), holdsKnown };
    }
    const ids = [...known.keys()];
    const booked = new Set(ids.filter((id) => known.get(id) === "booked"));
    const { held, known: holdsKnown } =
      scope === "holds"
        ? await readEventHolds(this.deps.holds, this.eventId)
        : await readHeldTickets(this.deps.holds, ids.filter((id) => known.get(id) === "reserved"));
    // A hold that vanished (or can no longer be read) was released, expired, or turned into a booking.
    const vanished = ids.filter((id) => known.get(id) === "reserved" && !held.has(id));
    if (vanished.length > 0) for (const id of await this.deps.store.bookedAmong(this.eventId, vanished)) booked.add(id);
    return { statuses: new Map(ids.map((id) => [id, liveStatus(id, booked, held)])), holdsKnown };
  }
}
