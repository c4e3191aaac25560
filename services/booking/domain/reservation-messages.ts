import { notFound, type DomainError } from "../../shared/errors/domain-error.js";

/**
 * A reservation the store does not have: it never existed, its hold ran out, or a confirm or
 * release already ended it. The store cannot tell these apart, so the buyer hears all three.
 */
export function reservationNotFound(reservationId: string, advice?: string): DomainError {
  const message = `reservation ${reservationId} does not exist: it expired, or was already confirmed or released`;
  return notFound(advice ? `${message}; ${advice}` : message, { field: "reservation_id" });
}
