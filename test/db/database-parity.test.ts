import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, migrateToLatest } from '../../services/shared/db/database.js';
import { VENUE_LOCAL_DATE_SQL } from '../../services/shared/search-index/event-venue-row.js';
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from '../support/real-services.js';

// Repositories are written once and run on both drivers, so both must hand back the same types.
const PROBE = `SELECT count(*) AS count, now() AS at, '{"a":[1]}'::jsonb AS doc,
  ARRAY['6f1c2a9e-4b7d-4e35-9a0c-3d8b5e7f1a24']::uuid[] AS ids, NULL::text AS nothing`;

async function probe(db: Knex): Promise<Record<string, unknown>> {
  const result = await db.raw<{ rows: Array<Record<string, unknown>> }>(PROBE);
  return result.rows[0]!;
}

// Instants and what a venue's clock shows then: near local midnight, across the date line and
// either side of a DST change (US 2027-03-14, Europe 2027-03-28, New Zealand 2027-04-04). PGlite
// carries its own time zone data, the server its system's: both must read every venue's day alike.
const VENUE_CLOCKS: Array<[instant: string, timezone: string, localDay: string, localTime: string]> = [
  ['2026-12-06T01:00:00Z', 'America/Chicago', '2026-12-05', '19:00'],
  ['2027-01-17T00:30:00Z', 'America/New_York', '2027-01-16', '19:30'],
  ['2027-01-16T11:30:00Z', 'Pacific/Auckland', '2027-01-17', '00:30'],
  ['2027-03-14T07:59:00Z', 'America/Chicago', '2027-03-14', '01:59'],
  ['2027-03-14T08:00:00Z', 'America/Chicago', '2027-03-14', '03:00'],
  ['2027-03-28T00:59:00Z', 'Europe/London', '2027-03-28', '00:59'],
  ['2027-03-28T01:00:00Z', 'Europe/London', '2027-03-28', '02:00'],
  ['2027-03-28T22:59:00Z', 'Europe/London', '2027-03-28', '23:59'],
  ['2027-04-03T13:59:00Z', 'Pacific/Auckland', '2027-04-04', '02:59'],
  ['2027-04-03T14:00:00Z', 'Pacific/Auckland', '2027-04-04', '02:00'],
  ['2027-03-27T10:00:00Z', 'Pacific/Kiritimati', '2027-03-28', '00:00'],
  ['2027-03-29T11:59:00Z', 'Etc/GMT+12', '2027-03-28', '23:59'],
];

/** The expression the search and the indexer filter and index by, over one instant and zone. */
async function venueClock(db: Knex, instant: string, timezone: string): Promise<[string, string]> {
  const result = await db.raw<{ rows: Array<{ day: string; time: string }> }>(
    `SELECT to_char(${VENUE_LOCAL_DATE_SQL}, 'YYYY-MM-DD') AS day, to_char(e.starts_at AT TIME ZONE v.timezone, 'HH24:MI') AS time
     FROM (SELECT ?::timestamptz AS starts_at) e, (SELECT ?::text AS timezone) v`,
    [instant, timezone],
  );
  const row = result.rows[0]!;
  return [row.day, row.time];
}

async function expectVenueClocks(db: Knex): Promise<void> {
  for (const [instant, timezone, localDay, localTime] of VENUE_CLOCKS) {
    expect([instant, timezone, ...(await venueClock(db, instant, timezone))]).toEqual([instant, timezone, localDay, localTime]);
  }
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

  it("read each venue's local day and time as the calendar has them, across the date line and DST changes", async () => {
    const db = createDatabase({ kind: 'pglite' });
    try {
      await expectVenueClocks(db);
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

  it("read each venue's local day and time as on PGlite", async () => {
    await expectVenueClocks(test.db);
  });
});
