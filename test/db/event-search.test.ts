import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../services/shared/db/tables.js';
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from '../support/real-services.js';

// The PGlite suite beside the migrations covers every trigger path; this proves the same
// PL/pgSQL runs on a PostgreSQL 15 server, where transition tables and NULLS NOT DISTINCT exist
// only from specific versions on.
describe.skipIf(!requireService('PostgreSQL', await postgresAvailable()))(
  'events.search_vector on PostgreSQL',
  () => {
    let test: TestDatabase;
    let db: Knex;
    beforeAll(async () => {
      test = await createTestDatabase();
      db = test.db;
    });
    afterAll(async () => {
      await test?.drop();
    });

    const matches = (query: string) =>
      db(TABLES.events).whereRaw(`search_vector @@ websearch_to_tsquery('english', ?)`, [query]).pluck('name');

    it('an event matches its performer, and after a rename the new name and not the old', async () => {
      const [{ id: venueId }] = await db(TABLES.venues)
        .insert({
          name: 'Spreeufer Halle', city: 'Berlin', country: 'DE', latitude: 52.5, longitude: 13.4,
          timezone: 'Europe/Berlin', capacity: 0, seat_map: JSON.stringify({ sections: [] }),
        })
        .returning('id');
      const [{ id: performerId }] = await db(TABLES.performers)
        .insert({ name: 'Lena Hartmann', genre: 'electronic' })
        .returning('id');
      const [{ id: eventId }] = await db(TABLES.events)
        .insert({
          name: 'Nachtschicht', type: 'concert', venue_id: venueId, currency: 'EUR',
          starts_at: new Date('2030-03-01T22:00:00Z'), ends_at: new Date('2030-03-02T04:00:00Z'),
        })
        .returning('id');
      await db(TABLES.eventPerformers).insert({ event_id: eventId, performer_id: performerId });
      expect(await matches('Lena Hartmann')).toEqual(['Nachtschicht']);
      expect(await matches('berlin')).toEqual(['Nachtschicht']);

      await db(TABLES.performers).where({ id: performerId }).update({ name: 'Taylor Moss' });
      expect(await matches('Taylor Moss')).toEqual(['Nachtschicht']);
      expect(await matches('Hartmann')).toEqual([]);
      expect(
        await db(TABLES.events).whereRaw(`search_vector @@ to_tsquery('english', 'tayl:*')`).pluck('name'),
      ).toEqual(['Nachtschicht']);

      await db(TABLES.venues).where({ id: venueId }).update({ city: 'Hamburg' });
      expect(await matches('hamburg')).toEqual(['Nachtschicht']);
      expect(await matches('berlin')).toEqual([]);
    });
  },
);
