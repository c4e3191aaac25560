import { holderToken } from "../../shared/holds/holder-token.js";
import type { ClaimOutcome, TicketHolds } from "../../shared/holds/ticket-holds.js";
import type { BookingSettings, ReservationStore } from "./booking-ports.js";
import type { ConfirmOrder } from "./confirm-order.js";

export interface SeatClaim {
  outcome: ClaimOutcome;
  /** The token the seats are held under from now on: released with the others once booked. */
  token: string;
  /** Whether the claim made a hold this order did not have (a direct purchase): undone if the sale is lost. */
  fresh: boolean;
}

/**
 * A valid hold wins over an expired one at commit (DESIGN.md). The hold was checked before
 * authorize, and the payment may have outlived it; so after authorize and just before the
 * transaction, confirm claims its seats again on the lock nodes: held by this buyer or free →
 * held for the whole confirm deadline; held by another buyer → this confirm loses, whoever
 * reached the provider first. A buyer told "held" is thus never beaten by a slow payment.
 *
 * The window that remains: a claim stands on a quorum of lock nodes, so a node that loses its
 * keys (restarted without persistence) or a process paused longer than the deadline between
 * claim and commit can still let two buyers believe in a hold; and with no quorum reachable
 * the claim is "unavailable" and the database alone decides, as for any degraded sale. In
 * every case PostgreSQL still sells the seat once and the loser is not charged.
 */
export async function claimSeats(
  deps: { holds: TicketHolds; reservations: ReservationStore; settings: BookingSettings; newId: () => string },
  userId: string,
  order: ConfirmOrder,
): Promise<SeatClaim> {
  const existing = order.reservation?.holdToken ?? order.ownHolds[0];
  const token = existing ?? holderToken(userId, deps.newId().replaceAll("-", ""));
  const outcome = await deps.holds.claim({
    eventId: order.eventId,
    ticketIds: order.tickets.map((ticket) => ticket.id),
    userId,
    token,
    ttlMs: deps.settings.confirmDeadlineMs,
    recordKey: order.reservation ? deps.reservations.recordKey(order.reservation.id) : undefined,
  });
  return { outcome, token, fresh: existing === undefined };
}
