import { afterEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { closeDatabase, createDatabase, migrateToLatest, rollbackAll } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

const ALL_TABLES = [
  'venues',
  'performers',
  'events',
  'event_performers',
  'tickets',
  'bookings',
  'booking_items',
  'payments',
];

async function existingTables(db: Knex): Promise<string[]> {
  const result = await db.raw<{ rows: Array<{ table_name: string }> }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_name = ANY(?) ORDER BY table_name`,
    [ALL_TABLES],
  );
  return result.rows.map((row) => row.table_name);
}

async function userFunctions(db: Knex): Promise<string[]> {
  const result = await db.raw<{ rows: Array<{ proname: string }> }>(
    `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = current_schema() ORDER BY p.proname`,
  );
  return result.rows.map((row) => row.proname);
}

describe('database on PGlite', { timeout: 60_000 }, () => {
  let db: Knex | undefined;
  afterEach(async () => {
    if (db) await closeDatabase(db);
    db = undefined;
  });

  it('migrating up creates every table, down removes them all, and up works again', async () => {
    db = createDatabase({ kind: 'pglite' });

    const applied = await migrateToLatest(db);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await existingTables(db)).toEqual([...ALL_TABLES].sort());
    expect(await migrateToLatest(db)).toEqual([]);

    const reverted = await rollbackAll(db);
    expect(reverted).toHaveLength(MIGRATIONS.length);
    expect(await existingTables(db)).toEqual([]);
    expect(await userFunctions(db)).toEqual([]);

    await migrateToLatest(db);
    expect(await existingTables(db)).toEqual([...ALL_TABLES].sort());
  });
});
