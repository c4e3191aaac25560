import type { HoldRecord, TicketHolds } from "../../../shared/holds/ticket-holds.js";
import type { ReservationDraft, ReservationStore } from "../../domain/booking-ports.js";
import type { Reservation } from "../../domain/booking-types.js";

const PREFIX = "reservation:";
const recordKey = (reservationId: string) => `${PREFIX}${reservationId}`;
const RESERVATION_ID = /^[0-9a-f-]{36}$/i;

/**
 * Reservations as records kept beside their holds, on the same lock store: written by the hold
 * itself in the same step (one round trip per node), expiring with it, deleted by its release
 * (the same step again), read by majority. A reservation lives exactly as long as its locks, in Redis and in
 * the embedded default's in-process store alike.
 */
export class HoldRecordReservationStore implements ReservationStore {
  constructor(private readonly holds: TicketHolds) {}

  record(draft: ReservationDraft): HoldRecord {
    return {
      key: recordKey(draft.id),
      value: ({ token, expiresAt }) => JSON.stringify({ ...draft, holdToken: token, expiresAt }),
    };
  }

  recordKey(reservationId: string): string {
    return recordKey(reservationId);
  }

  reservationIdOf(key: string): string | undefined {
    const id = key.startsWith(PREFIX) ? key.slice(PREFIX.length) : "";
    return RESERVATION_ID.test(id) ? id : undefined;
  }

  async find(reservationId: string): Promise<Reservation | undefined> {
    if (!RESERVATION_ID.test(reservationId)) return undefined;
    const stored = await this.holds.readRecord(recordKey(reservationId));
    if (!stored) return undefined;
    const parsed = JSON.parse(stored) as Reservation & { expiresAt: string };
    return { ...parsed, expiresAt: new Date(parsed.expiresAt) };
  }
}
