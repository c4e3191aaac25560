import { Code, ConnectError } from "@connectrpc/connect";
import { isConnectionLoss } from "./connection-loss.js";
import { databaseTimeoutError } from "./database-timeout.js";
import { detailsHeaderValue } from "./details-header.js";
import { DomainError, type DomainErrorKind } from "./domain-error.js";

const codeOf: Record<DomainErrorKind, Code> = {
  invalid: Code.InvalidArgument,
  not_found: Code.NotFound,
  conflict: Code.FailedPrecondition,
  aborted: Code.Aborted,
  already_exists: Code.AlreadyExists,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  rate_limited: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  deadline_exceeded: Code.DeadlineExceeded,
  cancelled: Code.Canceled,
  payment_declined: Code.FailedPrecondition,
};

const REASON_HEADER = "boxoffice-error-details";

/**
 * A field path as the callers write it: JSON names ("payment_details.card_number" →
 * "paymentDetails.cardNumber"), as the validation interceptor names fields too, so a client
 * reads one naming whichever layer refused its request. Domain code names proto fields.
 */
export const jsonFieldPath = (path: string) => path.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** The one place a domain error becomes a wire error. */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const stopped = error instanceof DomainError ? undefined : databaseTimeoutError(error);
  if (stopped) return toConnectError(Object.assign(stopped, { cause: error }));
  if (error instanceof DomainError) {
    const metadata = new Headers();
    if (Object.keys(error.details).length > 0 || error.kind === "payment_declined") {
      const { field, ...details } = error.details;
      metadata.set(REASON_HEADER, detailsHeaderValue({ kind: error.kind, ...details, ...(typeof field === "string" ? { field: jsonFieldPath(field) } : {}) }));
    }
    return new ConnectError(error.message, codeOf[error.kind], metadata, undefined, error);
  }
  if (isConnectionLoss(error)) return new ConnectError("A service this request needs is briefly unreachable; try again in a moment.", Code.Unavailable, undefined, undefined, error);
  return ConnectError.from(error, Code.Internal);
}

/** Reads back the details a service attached (e.g. at the edge, for the REST body). */
export function errorDetailsOf(error: ConnectError): Record<string, unknown> | undefined {
  const raw = error.metadata.get(REASON_HEADER);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
