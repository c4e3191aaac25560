import type { Knex } from "knex";
import { z } from "zod";
import { createDatabase, type SessionTimeouts } from "./database.js";

/**
 * The one way a process opens its PostgreSQL pool: every session bounded by `statement_timeout`
 * and `lock_timeout`, read from the process's own typed config (`<PREFIX>_DB_STATEMENT_TIMEOUT_MS`,
 * `<PREFIX>_DB_LOCK_TIMEOUT_MS`) and checked at start-up. A statement stopped by either is
 * answered `DEADLINE_EXCEEDED` or `UNAVAILABLE` with a message (errors/database-timeout.ts),
 * never a bare internal error.
 */

/** Neither bound can be switched off (0 is PostgreSQL's "no limit") nor set past ten minutes. */
export const SESSION_TIMEOUT_MAX_MS = 600_000;

/** What a request-serving process gets unless it says otherwise. */
export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = { statementMs: 5_000, lockMs: 2_000 };

type TimeoutKey<P extends string> = `${P}_DB_STATEMENT_TIMEOUT_MS` | `${P}_DB_LOCK_TIMEOUT_MS`;
export type SessionTimeoutConfig<P extends string> = Record<TimeoutKey<P>, number>;

const timeoutMs = (fallback: number) => z.coerce.number().int().min(1).max(SESSION_TIMEOUT_MAX_MS).default(fallback);

/** The two environment fields of a process's pool, for its config schema. */
export function sessionTimeoutFields<P extends string>(prefix: P, defaults: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS) {
  return {
    [`${prefix}_DB_STATEMENT_TIMEOUT_MS`]: timeoutMs(defaults.statementMs),
    [`${prefix}_DB_LOCK_TIMEOUT_MS`]: timeoutMs(defaults.lockMs),
  } as Record<TimeoutKey<P>, ReturnType<typeof timeoutMs>>;
}

/**
 * A lock wait is part of its statement: a lock_timeout longer than the statement_timeout would
 * never fire, and a setting that does nothing is a mistake the process should name at start-up.
 */
export function checkSessionTimeouts<P extends string>(prefix: P) {
  return (config: SessionTimeoutConfig<P>, context: z.RefinementCtx) => {
    const { statementMs, lockMs } = sessionTimeoutsOf(prefix, config);
    if (lockMs > statementMs) {
      context.addIssue({ code: "custom", path: [`${prefix}_DB_LOCK_TIMEOUT_MS`], message: `must not be longer than ${prefix}_DB_STATEMENT_TIMEOUT_MS (${statementMs}): a statement waiting for a lock is stopped by its statement timeout first` });
    }
  };
}

export function sessionTimeoutsOf<P extends string>(prefix: P, config: SessionTimeoutConfig<P>): SessionTimeouts {
  return { statementMs: config[`${prefix}_DB_STATEMENT_TIMEOUT_MS`], lockMs: config[`${prefix}_DB_LOCK_TIMEOUT_MS`] };
}

export interface PostgresPoolOptions {
  url: string;
  sessionTimeouts: SessionTimeouts;
  /** Shown in pg_stat_activity, so an operator (and a test) can tell whose session is whose. */
  applicationName: string;
  pool?: { min: number; max: number };
}

/** A process's pool: every connection starts with its statement_timeout and lock_timeout set. */
export function createPostgresPool(options: PostgresPoolOptions): Knex {
  return createDatabase({ kind: "postgres", url: options.url, sessionTimeouts: options.sessionTimeouts, applicationName: options.applicationName, ...(options.pool ? { pool: options.pool } : {}) });
}

/** The pool of a process whose config carries `<prefix>_DB_*` (see sessionTimeoutFields). */
export function poolFromConfig<P extends string>(prefix: P, config: SessionTimeoutConfig<P> & { DATABASE_URL: string }, applicationName: string, pool?: { min: number; max: number }): Knex {
  return createPostgresPool({ url: config.DATABASE_URL, sessionTimeouts: sessionTimeoutsOf(prefix, config), applicationName, ...(pool ? { pool } : {}) });
}
