import type { Redis } from "ioredis";
import { readByQuorum, writeToQuorum } from "../../../shared/holds/quorum-calls.js";
import { HoldsUnavailableError } from "../../../shared/holds/ticket-holds.js";
import type { ReservationStore } from "../../domain/booking-ports.js";
import type { Reservation } from "../../domain/booking-types.js";

const key = (reservationId: string) => `reservation:${reservationId}`;

/**
 * Reservation records on the same independent masters as the holds, written to all and read
 * by majority, with the hold's TTL: a reservation lives exactly as long as its locks. Every
 * call answers once a majority has, so a hung node is not waited for; without a majority it
 * throws HoldsUnavailableError rather than pretend the reservation does not exist.
 */
export class RedisReservationStore implements ReservationStore {
  constructor(private readonly nodes: readonly Redis[]) {}

  async save(reservation: Reservation): Promise<void> {
    const ttlMs = Math.max(1, reservation.expiresAt.getTime() - Date.now());
    const value = JSON.stringify(reservation);
    const stored = await writeToQuorum(this.nodes, (node) => node.set(key(reservation.id), value, "PX", ttlMs));
    if (!stored) throw new HoldsUnavailableError("reservation not stored on a quorum");
  }

  async find(reservationId: string): Promise<Reservation | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(reservationId)) return undefined;
    const [answer] = await readByQuorum(this.nodes, [key(reservationId)]);
    if (!answer?.agreed) return undefined;
    const parsed = JSON.parse(answer.agreed) as Reservation & { expiresAt: string };
    return { ...parsed, expiresAt: new Date(parsed.expiresAt) };
  }

  async delete(reservationId: string): Promise<void> {
    // Best effort: a node that misses the delete keeps a minority copy that expires by its TTL.
    await writeToQuorum(this.nodes, (node) => node.del(key(reservationId)));
  }
}
