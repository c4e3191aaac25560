import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, rollbackAll } from '../../services/shared/db/database.js';
import { MIGRATIONS } from '../../services/shared/db/migrations/index.js';
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from '../support/real-services.js';

const TABLES = ['booking_items', 'bookings', 'event_performers', 'events', 'payments', 'performers', 'tickets', 'venues'];

// Everything a migration may leave behind in the schema, so "down" is checked to remove it all.
async function schemaObjects(test: TestDatabase): Promise<string[]> {
  const result = await test.db.raw<{ rows: Array<{ object: string }> }>(`
    SELECT 'table ' || table_name AS object FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name NOT LIKE 'knex_%'
    UNION ALL
    SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
    ORDER BY 1`);
  return result.rows.map((row) => row.object);
}

describe.skipIf(!requireService('PostgreSQL', await postgresAvailable()))(
  'migrations on PostgreSQL',
  { timeout: 60_000 },
  () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await createTestDatabase({ migrate: false });
    });
    afterAll(async () => {
      await test?.drop();
    });

    it('go up, down to nothing, and up again', async () => {
      expect(await migrateToLatest(test.db)).toEqual(MIGRATIONS.map((m) => m.name));
      const afterUp = await schemaObjects(test);
      for (const table of TABLES) expect(afterUp).toContain(`table ${table}`);
      expect(afterUp).toContain('extension pg_trgm');

      expect(await rollbackAll(test.db)).toHaveLength(MIGRATIONS.length);
      expect(await schemaObjects(test)).toEqual([]);

      expect(await migrateToLatest(test.db)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await schemaObjects(test)).toEqual(afterUp);
    });
  },
);
