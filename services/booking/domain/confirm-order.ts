import { DomainError, invalid } from "../../shared/errors/domain-error.js";
import { holderOf } from "../../shared/holds/holder-token.js";
import { holdersIfKnown } from "../../shared/holds/holders-if-known.js";
import { HoldsUnavailableError, type HoldReader } from "../../shared/holds/ticket-holds.js";
import type { BookingSettings, ReservationStore, TicketInventory } from "./booking-ports.js";
import type { CardDetails, InventoryTicket, Reservation, SaleEvent } from "./booking-types.js";
import { reservationsUnreachable } from "./confirm-messages.js";
import { createOrderCheck } from "./order-check.js";
import { heldByOthers, sameTickets } from "./order-rules.js";
import { reservationNotFound } from "./reservation-messages.js";
import { createAdmissionGate, type AdmissionGate } from "./admission-gate.js";
import { checkPurchaseLimitAtConfirm } from "./purchase-limit.js";

export interface ConfirmRequest {
  reservationId?: string | undefined;
  /** With ticketIds: buy directly, or (beside reservationId) the fallback when reservations cannot be read. */
  eventId?: string | undefined;
  ticketIds?: string[] | undefined;
  card: CardDetails;
  /** The provider's payment method in place of the card (Stripe); the card's fields are then empty. */
  paymentMethodId?: string | undefined;
  idempotencyKey: string;
  /** The waiting room's signed admission, for high-demand events. */
  admissionToken?: string | undefined;
}

/** What a confirm is about to buy, checked and priced, before any money moves. */
export interface ConfirmOrder {
  eventId: string;
  tickets: InventoryTicket[];
  totalMinor: number;
  currency: string;
  reservation: Reservation | undefined;
  /** Tokens of the caller's own holds on these seats, released once they are booked. */
  ownHolds: string[];
}

export interface ConfirmOrderDeps {
  holds: HoldReader;
  reservations: ReservationStore;
  inventory: TicketInventory;
  settings: BookingSettings;
  clock?: () => Date;
  admission?: AdmissionGate;
}

/**
 * The checks a confirm passes before charging: which tickets (a reservation, or ticket ids
 * bought directly), that the event still sells, the order rules, and that no other buyer holds them. A hold is the
 * caller's when its token names the caller, whether they confirm by reservation or by ids.
 */
export function createConfirmOrder(deps: ConfirmOrderDeps) {
  const admit = deps.admission ?? createAdmissionGate();
  const checkOrder = createOrderCheck(deps);

  async function target(userId: string, request: ConfirmRequest) {
    if (!request.reservationId) {
      if (!request.ticketIds?.length) throw invalid("give reservation_id, or the ticket_ids to buy", { field: "reservation_id" });
      // Without event_id the tickets name their event (order-check.ts).
      return { eventId: request.eventId ?? "", ticketIds: request.ticketIds, reservation: undefined };
    }
    let reservation: Reservation | undefined;
    try {
      reservation = await deps.reservations.find(request.reservationId);
    } catch (error) {
      if (!(error instanceof HoldsUnavailableError)) throw error;
      // Nobody can read holds either: the database decides, as for any direct purchase.
      if (request.eventId && request.ticketIds?.length) return { eventId: request.eventId, ticketIds: request.ticketIds, reservation: undefined };
      throw reservationsUnreachable(request.reservationId);
    }
    if (!reservation) throw reservationNotFound(request.reservationId, "if these seats are not yours yet, reserve them again");
    if (reservation.userId !== userId) throw new DomainError("permission_denied", "this reservation belongs to another buyer");
    if (request.ticketIds?.length && !sameTickets(request.ticketIds, reservation.ticketIds)) {
      throw invalid("ticket_ids are not the tickets of this reservation; send the reservation's tickets or only reservation_id", { field: "ticket_ids" });
    }
    if (request.eventId && request.eventId !== reservation.eventId) {
      throw invalid("event_id is not the event of this reservation", { field: "event_id" });
    }
    return { eventId: reservation.eventId, ticketIds: reservation.ticketIds, reservation };
  }

  /** Refuses before charging when another buyer holds a seat. An expired or unreadable hold lets the database decide. */
  async function ownHolds(userId: string, event: SaleEvent, tickets: InventoryTicket[]): Promise<string[]> {
    const ticketIds = tickets.map((ticket) => ticket.id);
    const holders = await holdersIfKnown(deps.holds, ticketIds);
    if (!holders) return [];
    const others = ticketIds.filter((id) => holders.has(id) && holderOf(holders.get(id)!) !== userId);
    if (others.length > 0) throw heldByOthers(event, tickets, others);
    return [...new Set(holders.values())];
  }

  return async (userId: string, request: ConfirmRequest): Promise<ConfirmOrder> => {
    const { eventId: givenEventId, ticketIds, reservation } = await target(userId, request);
    const { event, tickets } = await checkOrder(givenEventId, ticketIds);
    await admit(userId, event, request.admissionToken);
    // Refused before any money moves; the transaction checks it again, serialised per buyer.
    checkPurchaseLimitAtConfirm({ limit: event.purchaseLimit, bought: await deps.inventory.countBought(userId, event.id) }, tickets.length);
    // A reservation's record and its holds are written and deleted together, with one TTL, on
    // the same nodes (hold-scripts.ts): a record read by majority means its holds stand, under
    // its token. Only a direct purchase asks the lock nodes who holds its seats.
    const holds = reservation ? [reservation.holdToken] : await ownHolds(userId, event, tickets);
    return {
      eventId: event.id,
      tickets,
      totalMinor: tickets.reduce((sum, ticket) => sum + ticket.priceMinor, 0),
      currency: tickets[0]!.currency,
      reservation,
      ownHolds: holds,
    };
  };
}
