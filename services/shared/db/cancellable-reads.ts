import type { Knex } from "knex";
import { callerLeft, untilCallerLeaves } from "../cancellation/caller-left.js";

interface PgConnection {
  processID?: number;
}

/**
 * Reads that stop when their caller leaves. Without a signal they run as they are. With one, on
 * PostgreSQL they run on one session of the pool (a read-only transaction) and, if the signal
 * aborts, that session's running statement is cancelled (`pg_cancel_backend`, from a separate
 * connection, as knex's own query cancel does), so a long read does not run on for nobody; the
 * caller gets callerLeft() (CANCELLED). PGlite has one connection and no way to interrupt it:
 * there the caller stops waiting and the statement finishes by itself.
 *
 * The cancel is sent and answered before the session goes back to the pool, so it can never land
 * on another request's statement (a cancel that reaches an idle session is ignored by PostgreSQL).
 */
export async function cancellableReads<T>(db: Knex, signal: AbortSignal | undefined, work: (db: Knex) => Promise<T>): Promise<T> {
  if (!signal) return work(db);
  if (signal.aborted) throw callerLeft();
  const client = db.client as Knex.Client & { cancelQuery?(connection: unknown): Promise<unknown> };
  // A PostgreSQL server's pool is configured with client "pg" (database.ts); PGlite's with its own class.
  if (client.config.client !== "pg" || typeof client.cancelQuery !== "function") return untilCallerLeaves(work(db), signal);
  let cancelling: Promise<unknown> | undefined;
  try {
    return await db.transaction(
      async (trx) => {
        const connection = (await (trx.client as Knex.Client).acquireConnection()) as PgConnection;
        const cancel = () => {
          if (typeof connection.processID === "number") cancelling = client.cancelQuery!(connection).catch(() => undefined);
        };
        signal.addEventListener("abort", cancel, { once: true });
        try {
          if (signal.aborted) throw callerLeft();
          return await work(trx);
        } finally {
          signal.removeEventListener("abort", cancel);
          await cancelling;
        }
      },
      { readOnly: true },
    );
  } catch (error) {
    await cancelling;
    if (signal.aborted) throw callerLeft();
    throw error;
  }
}
