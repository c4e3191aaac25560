import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, migrateToLatest } from '../../services/shared/db/database.js';
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from '../support/real-services.js';

// Repositories are written once and run on both drivers, so both must hand back the same types.
const PROBE = `SELECT count(*) AS count, now() AS at, '{"a":[1]}'::jsonb AS doc,
  ARRAY['6f1c2a9e-4b7d-4e35-9a0c-3d8b5e7f1a24']::uuid[] AS ids, NULL::text AS nothing`;

async function probe(db: Knex): Promise<Record<string, unknown>> {
  const result = await db.raw<{ rows: Array<Record<string, unknown>> }>(PROBE);
  return result.rows[0]!;
}

function expectSharedShape(row: Record<string, unknown>): void {
  expect(row.count).toBe(1);
  expect(row.at).toBeInstanceOf(Date);
  expect(row.doc).toEqual({ a: [1] });
  expect(row.ids).toEqual(['6f1c2a9e-4b7d-4e35-9a0c-3d8b5e7f1a24']);
  expect(row.nothing).toBeNull();
}

describe('database values on PGlite', { timeout: 60_000 }, () => {
  it('come back as numbers, Dates, parsed JSON and string arrays', async () => {
    const db = createDatabase({ kind: 'pglite' });
    try {
      expectSharedShape(await probe(db));
    } finally {
      await closeDatabase(db);
    }
  });

  it('persist in a data directory across a close and reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'boxoffice-pglite-'));
    try {
      const first = createDatabase({ kind: 'pglite', dataDir: join(dataDir, 'db') });
      await migrateToLatest(first);
      await first('performers').insert({ name: 'Juniper Vale', genre: 'singer-songwriter' });
      await closeDatabase(first);

      const again = createDatabase({ kind: 'pglite', dataDir: join(dataDir, 'db') });
      try {
        expect(await migrateToLatest(again)).toEqual([]);
        expect(await again('performers').pluck('name')).toEqual(['Juniper Vale']);
      } finally {
        await closeDatabase(again);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!requireService('PostgreSQL', await postgresAvailable()))('database values on PostgreSQL', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('come back with the same types as on PGlite', async () => {
    expectSharedShape(await probe(test.db));
  });
});
