import { Code, ConnectError } from "@connectrpc/connect";

/** What went wrong with a call, in terms the pages act on. */
export interface Problem {
  code: Code;
  /** A sentence for the buyer. */
  message: string;
  /** The service's machine-readable reason, e.g. "held", "sold", "seat_taken", "card_declined". */
  reason?: string | undefined;
  kind?: string | undefined;
  field?: string | undefined;
  ticketIds: string[];
  /** True when trying the same thing again may work (and, for a payment, must reuse its key). */
  retryable: boolean;
}

/** Reasons the booking service gives when an event sells nothing now (cancelled, not yet on sale, started). */
const SALE_CLOSED_REASONS = new Set(["event_cancelled", "not_on_sale_yet", "sales_ended"]);

/** The event does not sell now: choosing other seats cannot help. */
export const saleClosed = (problem: Problem) => SALE_CLOSED_REASONS.has(problem.reason ?? "");

// Services attach their specifics as JSON in this header (services/shared/errors).
const DETAILS_HEADER = "boxoffice-error-details";

export function problemOf(error: unknown): Problem {
  const connectError = ConnectError.from(error);
  const details = parseDetails(connectError.metadata.get(DETAILS_HEADER));
  const retryable = [Code.Unavailable, Code.DeadlineExceeded, Code.ResourceExhausted, Code.Unknown, Code.Canceled].includes(connectError.code);
  return {
    code: connectError.code,
    message: messageFor(connectError, details),
    reason: typeof details.reason === "string" ? details.reason : undefined,
    kind: typeof details.kind === "string" ? details.kind : undefined,
    field: typeof details.field === "string" ? details.field : undefined,
    ticketIds: Array.isArray(details.ticketIds) ? details.ticketIds.filter((id): id is string => typeof id === "string") : [],
    retryable,
  };
}

function messageFor(error: ConnectError, details: Record<string, unknown>): string {
  switch (error.code) {
    case Code.ResourceExhausted: {
      const seconds = Number(details.retryAfterSeconds ?? error.metadata.get("retry-after"));
      return Number.isFinite(seconds) && seconds > 0
        ? `Too many requests just now. Please wait ${seconds} seconds and try again.`
        : "Too many requests just now. Please wait a moment and try again.";
    }
    case Code.Unavailable:
      return error.rawMessage && !/^(fetch failed|Failed to fetch|NetworkError)/i.test(error.rawMessage)
        ? error.rawMessage
        : "The box office is not answering right now. Please try again in a moment.";
    case Code.DeadlineExceeded:
      return "That took too long. Please try again.";
    case Code.Unauthenticated:
      return "Please sign in again.";
    case Code.Unknown:
    case Code.Canceled:
      return "The connection was lost. Please check your network and try again.";
    case Code.Internal:
      return "Something went wrong on our side. Please try again.";
    default:
      return error.rawMessage;
  }
}

function parseDetails(raw: string | null): Record<string, unknown> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
