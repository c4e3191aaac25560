import { holderOf } from "../../shared/holds/holder-token.js";
import { HoldsUnavailableError, type TicketHolds, type UserHold } from "../../shared/holds/ticket-holds.js";
import type { BookingSettings, ReservationStore, StatusPublisher, TicketInventory } from "./booking-ports.js";
import type { InventoryTicket, Reservation, ReserveOutcome, SaleEvent } from "./booking-types.js";
import { createOrderCheck } from "./order-check.js";
import { heldByOthers, heldByYou, sameTickets } from "./order-rules.js";
import { countBuyerHolds, withBuyerLock, type BuyerLockDeps } from "./buyer-holds.js";
import { checkPurchaseLimit } from "./purchase-limit.js";
import { createAdmissionGate, type AdmissionGate } from "./admission-gate.js";
import { DomainError } from "../../shared/errors/domain-error.js";

export interface ReserveDeps {
  holds: TicketHolds;
  reservations: ReservationStore;
  inventory: TicketInventory;
  publisher: StatusPublisher;
  settings: BookingSettings;
  newId: () => string;
  clock?: () => Date;
  admission?: AdmissionGate;
  /** The buyer lock's waits (buyer-holds.ts); tests pass their own. */
  sleep?: BuyerLockDeps["sleep"];
}

export const DEGRADED_MESSAGE =
  "No hold could be taken right now (the reservation system is busy). You can still buy these seats directly: confirm with the ticket ids, and the first completed payment wins.";

const degraded = (eventId: string, ticketIds: string[]): ReserveOutcome => ({ kind: "degraded", eventId, ticketIds, message: DEGRADED_MESSAGE });

const reserveCancelled = () => new DomainError("cancelled", "The reservation was cancelled by the caller: no seat is held.", { reason: "cancelled" });

/**
 * ReserveTickets: all tickets held for the caller, or none; degraded when the lock store is down.
 * Under the buyer's lock on the event (buyer-holds.ts): seats the caller already holds in one
 * reservation answer with that reservation; otherwise their holds plus bought tickets plus
 * these must fit the event's purchase limit before the hold is taken.
 */
export function createReserveTickets(deps: ReserveDeps) {
  const checkOrder = createOrderCheck(deps);
  const admit = deps.admission ?? createAdmissionGate();

  /** The caller's own reservation of exactly these seats, when they hold them already. */
  async function ownReservation(userId: string, event: SaleEvent, tickets: InventoryTicket[], mine: Map<string, UserHold>): Promise<Reservation | undefined> {
    const own = tickets.filter((ticket) => mine.has(ticket.id));
    if (own.length === 0) return undefined;
    const ticketIds = tickets.map((ticket) => ticket.id);
    const recordKeys = new Set(own.map((ticket) => mine.get(ticket.id)!.recordKey));
    const [recordKey] = recordKeys;
    const reservationId = recordKeys.size === 1 && recordKey ? deps.reservations.reservationIdOf(recordKey) : undefined;
    const reservation = reservationId ? await deps.reservations.find(reservationId) : undefined;
    if (reservation && reservation.userId === userId && sameTickets(reservation.ticketIds, ticketIds)) return reservation;
    throw heldByYou(event, own, reservation?.id);
  }

  return async (userId: string, givenEventId: string, ticketIds: string[], callerSignal?: AbortSignal, admissionToken?: string): Promise<ReserveOutcome> => {
    const { event, tickets } = await checkOrder(givenEventId, ticketIds);
    await admit(userId, event, admissionToken);
    const eventId = event.id;
    if (callerSignal?.aborted) throw reserveCancelled();

    try {
      const outcome = await withBuyerLock(deps, eventId, userId, async (): Promise<ReserveOutcome> => {
        const { count, mine } = await countBuyerHolds(deps, userId, event);
        const existing = await ownReservation(userId, event, tickets, mine);
        if (existing) return { kind: "held", reservation: existing };
        checkPurchaseLimit(count, ticketIds.length);
        return hold(userId, event, tickets, callerSignal);
      });
      return outcome ?? degraded(eventId, ticketIds);
    } catch (error) {
      // No quorum to read the buyer's holds or their reservation: nothing can be held either.
      if (error instanceof HoldsUnavailableError) return degraded(eventId, ticketIds);
      throw error;
    }
  };

  async function hold(userId: string, event: SaleEvent, tickets: InventoryTicket[], callerSignal?: AbortSignal): Promise<ReserveOutcome> {
    const eventId = event.id;
    const ticketIds = tickets.map((ticket) => ticket.id);
    // The holds and the reservation's record are taken in one step: no hold without its record.
    const draft = { id: deps.newId(), userId, eventId, ticketIds };
    const outcome = await deps.holds.hold({ eventId, ticketIds, ttlMs: deps.settings.holdTtlMs, userId, record: deps.reservations.record(draft) });
    if (outcome.kind === "taken") {
      // The caller's own seats taken since their holds were read (a direct purchase claims them) are theirs, not another buyer's.
      const others = outcome.ticketIds.filter((id) => holderOf(outcome.holders.get(id) ?? "") !== userId);
      if (others.length === 0 && outcome.ticketIds.length > 0) throw heldByYou(event, tickets.filter((ticket) => outcome.ticketIds.includes(ticket.id)), undefined);
      throw heldByOthers(event, tickets, others.length > 0 ? others : outcome.ticketIds);
    }
    if (outcome.kind === "unavailable") return degraded(eventId, ticketIds);
    if (callerSignal?.aborted) {
      // Nobody will ever see this reservation: a hold left standing would block the seats for its whole TTL.
      await deps.holds.release({ eventId, ticketIds, token: outcome.token, recordKey: deps.reservations.recordKey(draft.id) }).catch(() => undefined);
      throw reserveCancelled();
    }

    // Seat maps learn of it when they may; the buyer does not wait for them.
    void deps.publisher.publish(eventId, ticketIds.map((ticketId) => ({ ticketId, status: "reserved" }))).catch(() => undefined);
    return { kind: "held", reservation: { ...draft, holdToken: outcome.token, expiresAt: outcome.expiresAt } };
  }
}
