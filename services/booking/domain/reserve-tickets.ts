import type { TicketHolds } from "../../shared/holds/ticket-holds.js";
import type { BookingSettings, ReservationStore, StatusPublisher, TicketInventory } from "./booking-ports.js";
import type { ReserveOutcome } from "./booking-types.js";
import { createOrderCheck } from "./order-check.js";
import { heldByOthers } from "./order-rules.js";
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
}

export const DEGRADED_MESSAGE =
  "No hold could be taken right now (the reservation system is busy). You can still buy these seats directly: confirm with the ticket ids, and the first completed payment wins.";

const reserveCancelled = () => new DomainError("cancelled", "The reservation was cancelled by the caller: no seat is held.", { reason: "cancelled" });

/** ReserveTickets: all tickets held for the caller, or none; degraded when the lock store is down. */
export function createReserveTickets(deps: ReserveDeps) {
  const checkOrder = createOrderCheck(deps);
  const admit = deps.admission ?? createAdmissionGate();
  return async (userId: string, givenEventId: string, ticketIds: string[], callerSignal?: AbortSignal, admissionToken?: string): Promise<ReserveOutcome> => {
    const { event, tickets } = await checkOrder(givenEventId, ticketIds);
    await admit(userId, event, admissionToken);
    const eventId = event.id;
    if (callerSignal?.aborted) throw reserveCancelled();

    // The holds and the reservation's record are taken in one step: no hold without its record.
    const draft = { id: deps.newId(), userId, eventId, ticketIds };
    const outcome = await deps.holds.hold({ eventId, ticketIds, ttlMs: deps.settings.holdTtlMs, userId, record: deps.reservations.record(draft) });
    if (outcome.kind === "taken") throw heldByOthers(event, tickets, outcome.ticketIds);
    if (outcome.kind === "unavailable") return { kind: "degraded", eventId, ticketIds, message: DEGRADED_MESSAGE };
    if (callerSignal?.aborted) {
      // Nobody will ever see this reservation: a hold left standing would block the seats for its whole TTL.
      await deps.holds.release({ eventId, ticketIds, token: outcome.token, recordKey: deps.reservations.recordKey(draft.id) }).catch(() => undefined);
      throw reserveCancelled();
    }

    // Seat maps learn of it when they may; the buyer does not wait for them.
    void deps.publisher.publish(eventId, ticketIds.map((ticketId) => ({ ticketId, status: "reserved" }))).catch(() => undefined);
    return { kind: "held", reservation: { ...draft, holdToken: outcome.token, expiresAt: outcome.expiresAt } };
  };
}
