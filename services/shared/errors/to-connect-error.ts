import { Code, ConnectError } from "@connectrpc/connect";
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
  payment_declined: Code.FailedPrecondition,
};

const REASON_HEADER = "boxoffice-error-details";

/** The one place a domain error becomes a wire error. */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof DomainError) {
    const metadata = new Headers();
    if (Object.keys(error.details).length > 0 || error.kind === "payment_declined") {
      metadata.set(REASON_HEADER, JSON.stringify({ kind: error.kind, ...error.details }));
    }
    return new ConnectError(error.message, codeOf[error.kind], metadata, undefined, error);
  }
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
