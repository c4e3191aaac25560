import { causeChain } from "./cause-chain.js";
import { DomainError } from "./domain-error.js";

/**
 * A statement PostgreSQL itself stopped, under the session bounds every pool carries
 * (db/postgres-pool.ts): `57014` query_canceled (statement_timeout, or a cancel we sent when the
 * caller left) and `55P03` lock_not_available (lock_timeout). Nothing it did remains: its
 * transaction rolled back. Callers get a code they can act on and a sentence, not INTERNAL.
 */
const STATEMENT_STOPPED = "57014";
const LOCK_NOT_AVAILABLE = "55P03";

function sqlStateOf(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const code = (link as { code?: unknown }).code;
    if (code === STATEMENT_STOPPED || code === LOCK_NOT_AVAILABLE) return code;
  }
  return undefined;
}

/** The domain error for a statement PostgreSQL stopped, or undefined for anything else. */
export function databaseTimeoutError(error: unknown): DomainError | undefined {
  switch (sqlStateOf(error)) {
    case STATEMENT_STOPPED:
      return new DomainError(
        "deadline_exceeded",
        "The database did not finish this request within its statement timeout, so it was stopped and nothing was changed; try again in a moment.",
        { reason: "database_statement_timeout" },
      );
    case LOCK_NOT_AVAILABLE:
      return new DomainError(
        "unavailable",
        "The data this request needs is locked by other work for longer than the database waits (its lock timeout); nothing was changed, try again in a moment.",
        { reason: "database_lock_timeout" },
      );
    default:
      return undefined;
  }
}
