import { DomainError, invalid } from "../../shared/errors/domain-error.js";
import type { AuthorizeResult } from "./payment-provider.js";

/** What a buyer reads when a confirm does not end in a booking; every one says whether money moved. */

type DeclineReason = Extract<AuthorizeResult, { kind: "declined" }>["reason"];

const DECLINE_MESSAGES: Record<Exclude<DeclineReason, "invalid_card">, string> = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
};

export const LOST_MESSAGES = {
  seat_taken: "Seat already taken by another buyer: you have not been charged.",
  payment_not_authorized: "The payment timed out and was cancelled: you have not been charged.",
  hold_lost: "Your hold on these seats expired during the payment and another buyer holds them now: you have not been charged. Choose other seats.",
  deadline_passed: "The confirmation took too long and was stopped before any seat was booked: you have not been charged. Try again with a new idempotency key.",
  cancelled: "The confirmation was cancelled by the caller before any seat was booked: you have not been charged.",
  database_busy: "The seats could not be booked in time (the database was busy): you have not been charged. Try again with a new idempotency key.",
  event_cancelled: "The event was cancelled while you were paying, so no tickets are sold for it: you have not been charged.",
  // The buyer reads purchaseLimitAtConfirm's sentence, which has the figures; this is the ledger's reason.
  purchase_limit: "This order would take you past the event's purchase limit: you have not been charged.",
} as const;

export type LostReason = keyof typeof LOST_MESSAGES;

export function declined(reason: string, holdExpiresAt: Date | undefined): DomainError {
  if (reason === "invalid_card") {
    return invalid("That card number is not valid: check it, or use another card.", { field: "payment_details.card_number", reason });
  }
  const held = holdExpiresAt ? ` Your seats stay held until ${holdExpiresAt.toISOString()}: try another card (with a new idempotency key).` : "";
  return new DomainError("payment_declined", `${DECLINE_MESSAGES[reason as keyof typeof DECLINE_MESSAGES] ?? "Payment declined."}${held}`, { reason });
}

export const providerUnanswered = () =>
  new DomainError(
    "unavailable",
    "The payment provider did not answer, and nothing has been charged. Retry with the same idempotency key in a moment.",
    { reason: "payment_provider_unavailable" },
  );

export const reservationsUnreachable = (reservationId: string) =>
  new DomainError(
    "unavailable",
    `Reservation ${reservationId} cannot be read right now: the reservation system is unreachable. ` +
      "Send the same confirm again with event_id and ticket_ids (the seats of your reservation) beside reservation_id to buy them directly; the first completed payment wins.",
    { field: "reservation_id", reason: "reservations_unreachable" },
  );

export const priceChanged = (chargedMinor: number, nowMinor: number, currency: string) =>
  new DomainError(
    "aborted",
    `The price of these seats changed since your first attempt with this idempotency key (${chargedMinor} then, ${nowMinor} ${currency} now): ` +
      "nothing is charged under this key and any authorization of it is released. Confirm again with a new idempotency key to pay the current price.",
    { field: "idempotency_key", reason: "price_changed" },
  );

export const keyReused = () =>
  invalid("this idempotency key was already used for a different order; use a new key for a new order", { field: "idempotency_key" });
