import { DomainError, notFound } from "../../shared/errors/domain-error.js";
import type { TicketHolds } from "../../shared/holds/ticket-holds.js";
import type { ReservationStore, StatusPublisher } from "./booking-ports.js";

/** ReleaseReservation: only its holder may give the seats back; the locks are compare-and-deleted. */
export function createReleaseReservation(deps: { holds: TicketHolds; reservations: ReservationStore; publisher: StatusPublisher }) {
  return async (userId: string, reservationId: string): Promise<void> => {
    const reservation = await deps.reservations.find(reservationId);
    if (!reservation) throw notFound(`reservation ${reservationId} does not exist or has already expired`, { field: "reservation_id" });
    if (reservation.userId !== userId) throw new DomainError("permission_denied", "this reservation belongs to another buyer");
    await deps.holds.release(reservation.ticketIds, reservation.holdToken);
    await deps.reservations.delete(reservationId);
    await deps.publisher
      .publish(reservation.eventId, reservation.ticketIds.map((ticketId) => ({ ticketId, status: "available" })))
      .catch(() => undefined);
  };
}
