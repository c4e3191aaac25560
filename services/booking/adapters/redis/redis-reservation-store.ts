import type { Redis } from "ioredis";
import { HoldsUnavailableError } from "../../../shared/holds/ticket-holds.js";
import type { ReservationStore } from "../../domain/booking-ports.js";
import type { Reservation } from "../../domain/booking-types.js";

const key = (reservationId: string) => `reservation:${reservationId}`;

/**
 * Reservation records on the same independent masters as the holds, written to all and read
 * by majority, with the hold's TTL: a reservation lives exactly as long as its locks.
 */
export class RedisReservationStore implements ReservationStore {
  private readonly quorum: number;

  constructor(private readonly nodes: readonly Redis[]) {
    this.quorum = Math.floor(nodes.length / 2) + 1;
  }

  async save(reservation: Reservation): Promise<void> {
    const ttlMs = Math.max(1, reservation.expiresAt.getTime() - Date.now());
    const value = JSON.stringify(reservation);
    const written = await Promise.all(
      this.nodes.map((node) => node.set(key(reservation.id), value, "PX", ttlMs).then(() => 1, () => 0)),
    );
    if (written.reduce<number>((a, b) => a + b, 0) < this.quorum) throw new HoldsUnavailableError("reservation not stored on a quorum");
  }

  async find(reservationId: string): Promise<Reservation | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(reservationId)) return undefined;
    const answers = await Promise.all(this.nodes.map((node) => node.get(key(reservationId)).catch(() => undefined)));
    const votes = new Map<string, number>();
    for (const answer of answers) if (answer) votes.set(answer, (votes.get(answer) ?? 0) + 1);
    for (const [value, count] of votes) {
      if (count >= this.quorum) {
        const parsed = JSON.parse(value) as Reservation & { expiresAt: string };
        return { ...parsed, expiresAt: new Date(parsed.expiresAt) };
      }
    }
    return undefined;
  }

  async delete(reservationId: string): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.del(key(reservationId)).catch(() => 0)));
  }
}
