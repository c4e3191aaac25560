/**
 * What went wrong, in the domain's words. Domain code throws these and never imports the RPC
 * layer; one interceptor maps each kind to its gRPC/Connect code.
 */
export type DomainErrorKind =
  | "invalid" // the request itself is wrong: fix it before retrying
  | "not_found"
  | "conflict" // state prevents it, e.g. a seat already taken
  | "aborted" // lost a race; retrying the whole flow may work
  | "already_exists"
  | "permission_denied"
  | "unauthenticated"
  | "rate_limited"
  | "unavailable" // a dependency is down
  | "deadline_exceeded" // the work ran out of time and was stopped; nothing was changed
  | "cancelled" // the caller gave up; the work stopped with nothing changed
  | "payment_declined";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** Machine-readable specifics for clients, e.g. { field: "ticket_ids", taken: [...] }. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) =>
  new DomainError("invalid", message, details);
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new DomainError("not_found", message, details);
