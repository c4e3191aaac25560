import type { Knex } from "knex";
import type { PaymentRow } from "../../../shared/db/tables.js";

/** How long a worker owns a claimed payment before another may retry it. */
const CLAIM_LEASE_SECONDS = 60;

/**
 * Claims payments in the given statuses untouched since olderThan, with a lease, in one
 * statement: concurrent workers skip each other's rows (SKIP LOCKED), and a worker that dies
 * mid-repair leaves its rows to be retried when the lease runs out. `countAttempt` adds one to
 * the row's attempts (recovery's bound on capture retries).
 */
export async function claimLeasedPayments(
  db: Knex,
  claim: { statuses: readonly string[]; olderThan: Date; limit: number; countAttempt: boolean },
): Promise<PaymentRow[]> {
  const result: { rows: PaymentRow[] } = await db.raw(
    `update payments set next_attempt_at = now() + make_interval(secs => ?)${claim.countAttempt ? ", attempts = attempts + 1" : ""}
     where id in (
       select id from payments
       where status = any(?::text[]) and updated_at < ?
         and (next_attempt_at is null or next_attempt_at <= now())
       order by updated_at
       limit ?
       for update skip locked)
     returning *`,
    [CLAIM_LEASE_SECONDS, [...claim.statuses], claim.olderThan, claim.limit],
  );
  return result.rows;
}
