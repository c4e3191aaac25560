import type { Knex } from "knex";
import pg from "pg";
import type { ReplicationClientConfig } from "pg-logical-replication";
import { parseLsn, type Lsn } from "./lsn.js";

/** A database snapshot that holds exactly the transactions committed before the slot's start. */
export interface ExportedSnapshot {
  name: string;
  consistentPoint: Lsn;
}

export type SlotState = "missing" | "ready" | "lost";

/**
 * Creates a logical slot and, while it is being created, exports the snapshot the slot starts
 * after: every transaction is then either in the snapshot or in the slot's stream, never both
 * and never neither. The snapshot can be imported until `use` returns; a temporary slot is
 * dropped when its connection closes.
 */
export async function withNewSlotSnapshot<T>(
  connectionString: string,
  slot: { name: string; temporary: boolean },
  use: (snapshot: ExportedSnapshot) => Promise<T>,
): Promise<T> {
  const replication = new pg.Client({ connectionString, replication: "database" } as ReplicationClientConfig);
  replication.on("error", () => undefined);
  await replication.connect();
  try {
    const { rows } = await replication.query(
      `CREATE_REPLICATION_SLOT ${pg.escapeIdentifier(slot.name)} ${slot.temporary ? "TEMPORARY " : ""}LOGICAL pgoutput EXPORT_SNAPSHOT`,
    );
    const [created] = rows as Array<{ snapshot_name: string; consistent_point: string }>;
    return await use({ name: created!.snapshot_name, consistentPoint: parseLsn(created!.consistent_point) });
  } finally {
    await replication.end().catch(() => undefined);
  }
}

/** Whether the slot exists in this database and can still resume (its WAL was not removed). */
export async function slotState(db: Knex, name: string): Promise<SlotState> {
  const { rows } = await db.raw<{ rows: Array<{ wal_status: string | null; database: string; here: string }> }>(
    `SELECT wal_status, database, current_database() AS here FROM pg_replication_slots WHERE slot_name = ?`,
    [name],
  );
  const [slot] = rows;
  if (!slot) return "missing";
  if (slot.database !== slot.here) throw new Error(`replication slot ${name} belongs to database ${slot.database}; choose another INDEXER_SLOT`);
  return slot.wal_status === "lost" ? "lost" : "ready";
}

export async function dropSlot(db: Knex, name: string): Promise<void> {
  await db.raw(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?`, [name]);
}

export async function publicationExists(db: Knex, name: string): Promise<boolean> {
  const { rows } = await db.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_publication WHERE pubname = ?`, [name]);
  return rows.length > 0;
}
