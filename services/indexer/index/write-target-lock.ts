import type { Knex } from "knex";
import type pg from "pg";

// Batches resolve the indices behind the aliases, then bulk-write to those names. An index
// deleted in between (a rebuild promoting its successor) would be written to by name, and an
// engine that creates indices on first write would bring it back unmapped. A PostgreSQL
// advisory lock per alias keeps the two apart: batches share it, deletions take it alone.
const lockKey = (alias: string) => `boxoffice-search-write-targets:${alias}`;

/** Inside a batch's transaction: no index behind the alias is deleted until it ends. */
export async function holdWriteTargets(trx: Knex.Transaction, alias: string): Promise<void> {
  await trx.raw("SELECT pg_advisory_xact_lock_shared(hashtext(?))", [lockKey(alias)]);
}

/**
 * On a session of the rebuild: waits until the batches that already chose their targets have
 * written, then runs `change` (moving the alias, deleting indices) while no batch can choose.
 */
export async function changingWriteTargets<T>(session: pg.Client, alias: string, change: () => Promise<T>): Promise<T> {
  await session.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey(alias)]);
  try {
    return await change();
  } finally {
    await session.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey(alias)]).catch(() => undefined);
  }
}
