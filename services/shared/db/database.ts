import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import knex, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { migrationSource } from './migrations/index.js';
import { lockDataFolder } from './data-folder-lock.js';

// The data-folder lock of each PGlite database, released when it is closed.
const folderLocks = new WeakMap<Knex, () => void>();

export type DatabaseOptions =
  // sessionTimeouts is required: a service's pool comes from postgres-pool.ts (bounded, from its
  // config); "unbounded" is for tools that run long statements on purpose (the seed, migrations).
  | { kind: 'postgres'; url: string; pool?: { min: number; max: number }; sessionTimeouts: SessionTimeouts | 'unbounded'; applicationName?: string }
  // dataDir undefined: in memory, gone when closed.
  | { kind: 'pglite'; dataDir?: string };

/**
 * PostgreSQL's own bounds on every session of a pool, sent as startup parameters: a statement
 * running longer than statementMs is cancelled, a wait for a lock longer than lockMs fails, and
 * either way the transaction rolls back whole. PGlite gets neither: with one connection no
 * statement ever waits for another session's lock, and statement_timeout never fires there (its
 * WebAssembly backend has no timer signal: `SET statement_timeout = 100; SELECT pg_sleep(1)`
 * is accepted and runs the whole second; test/db/session-timeouts.test.ts checks it), so the
 * embedded default is bounded by confirm's deadline and its callers' signals alone.
 */
export interface SessionTimeouts {
  statementMs: number;
  lockMs: number;
}

const INT8_OID = 20;

// PGlite hands back int8 (e.g. count(*)) as a number and pg as a string; parse it the same way
// on both so repositories behave identically. Counts and sums here stay far below 2^53.
const pgTypes: Knex.PgCustomTypesConfig = {
  getTypeParser: (oid, format) =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format === 'binary' ? 'binary' : 'text'),
};

export function createDatabase(options: DatabaseOptions): Knex {
  if (options.kind === 'postgres') {
    return knex({
      client: 'pg',
      connection: {
        connectionString: options.url,
        types: pgTypes,
        ...(options.sessionTimeouts !== 'unbounded' ? { statement_timeout: options.sessionTimeouts.statementMs, lock_timeout: options.sessionTimeouts.lockMs } : {}),
        ...(options.applicationName ? { application_name: options.applicationName } : {}),
      },
      pool: options.pool ?? { min: 0, max: 10 },
    });
  }
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const release = options.dataDir !== undefined ? lockDataFolder(options.dataDir) : undefined;
  const pglite = new PGlite({
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    extensions: { pg_trgm, unaccent },
    // PGlite's heap is WebAssembly memory, which never shrinks: with PostgreSQL's defaults
    // (128 MB of shared buffers, 64 MB per index build) seeding the demo leaves the embedded
    // platform ~100 MB larger for good (bench/service-footprint.ts). Its pages are cached by
    // the OS anyway, so small buffers cost the demo nothing it would notice.
    postgresqlconf: ['shared_buffers=16MB', 'maintenance_work_mem=16MB'],
  });
  const db = knex({
    client: ClientPgLite,
    // knex-pglite takes a ready instance through a connection function; its types don't say so.
    connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
  });
  if (release) folderLocks.set(db, release);
  return db;
}

export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

export async function rollbackAll(db: Knex): Promise<string[]> {
  const [, reverted] = (await db.migrate.rollback({ migrationSource }, true)) as [number, string[]];
  return reverted;
}

export async function closeDatabase(db: Knex): Promise<void> {
  await db.destroy();
  folderLocks.get(db)?.();
  folderLocks.delete(db);
}
