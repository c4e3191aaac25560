import { DomainError } from "../../shared/errors/domain-error.js";
import { HoldsUnavailableError, type TicketHolds } from "../../shared/holds/ticket-holds.js";
import type { ReservationStore, StatusPublisher } from "./booking-ports.js";
import type { Reservation } from "./booking-types.js";
import { reservationNotFound } from "./reservation-messages.js";

/** ReleaseReservation: only its holder may give the seats back; the locks are compare-and-deleted. */
export function createReleaseReservation(deps: { holds: TicketHolds; reservations: ReservationStore; publisher: StatusPublisher }) {
  return async (userId: string, reservationId: string): Promise<void> => {
    let reservation: Reservation | undefined;
    try {
      reservation = await deps.reservations.find(reservationId);
    } catch (error) {
      if (!(error instanceof HoldsUnavailableError)) throw error;
      throw new DomainError("unavailable", "The reservation system is unreachable, so the hold cannot be released now; it expires by itself at the time you were given.", {
        field: "reservation_id",
        reason: "reservations_unreachable",
      });
    }
    if (!reservation) throw reservationNotFound(reservationId);
    if (reservation.userId !== userId) throw new DomainError("permission_denied", "this reservation belongs to another buyer");
    await deps.holds.release({
      eventId: reservation.eventId,
      ticketIds: reservation.ticketIds,
      token: reservation.holdToken,
      recordKey: deps.reservations.recordKey(reservationId),
    });
    // Best effort, and not awaited: a bus Redis that hangs must not hold the buyer's answer.
    void deps.publisher
      .publish(reservation.eventId, reservation.ticketIds.map((ticketId) => ({ ticketId, status: "available" })))
      .catch(() => undefined);
  };
}
