import type { ReservationStore } from "../../domain/booking-ports.js";
import type { Reservation } from "../../domain/booking-types.js";

/** The embedded default: reservations beside the in-process holds, expiring with them. */
export class InMemoryReservationStore implements ReservationStore {
  private readonly reservations = new Map<string, Reservation>();

  constructor(private readonly now: () => number = Date.now) {}

  async save(reservation: Reservation): Promise<void> {
    this.reservations.set(reservation.id, reservation);
  }

  async find(reservationId: string): Promise<Reservation | undefined> {
    const reservation = this.reservations.get(reservationId);
    if (reservation && reservation.expiresAt.getTime() <= this.now()) {
      this.reservations.delete(reservationId);
      return undefined;
    }
    return reservation;
  }

  async delete(reservationId: string): Promise<void> {
    this.reservations.delete(reservationId);
  }
}
