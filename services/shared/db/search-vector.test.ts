import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, migrateToLatest } from './database.js';
import { TABLES, type EventRow } from './tables.js';

async function matches(db: Knex, query: string): Promise<string[]> {
  const rows = await db<EventRow>(TABLES.events)
    .whereRaw(`search_vector @@ websearch_to_tsquery('english', ?)`, [query])
    .orderBy('name')
    .pluck('name');
  return rows;
}

describe('events.search_vector on PGlite', { timeout: 60_000 }, () => {
  let db: Knex;
  let venueId: string;
  let performerId: string;
  let eventId: string;

  beforeAll(async () => {
    db = createDatabase({ kind: 'pglite' });
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await closeDatabase(db);
  });

  beforeEach(async () => {
    await db(TABLES.eventPerformers).del();
    await db(TABLES.events).del();
    await db(TABLES.performers).del();
    await db(TABLES.venues).del();
    [{ id: venueId }] = (await db(TABLES.venues)
      .insert({
        name: 'Harbourfront Forum',
        city: 'Toronto',
        country: 'CA',
        latitude: 43.64,
        longitude: -79.38,
        timezone: 'America/Toronto',
        capacity: 1,
        seat_map: JSON.stringify({ sections: [{ code: 'GA', name: 'Floor', kind: 'general_admission', capacity: 1 }] }),
      })
      .returning('id')) as [{ id: string }];
    [{ id: performerId }] = (await db(TABLES.performers)
      .insert({ name: 'Marisol Vega', genre: 'latin pop' })
      .returning('id')) as [{ id: string }];
    [{ id: eventId }] = (await db(TABLES.events)
      .insert({
        name: 'Summer Nights',
        description: 'An open-air evening of dancing',
        type: 'concert',
        venue_id: venueId,
        starts_at: new Date('2030-07-01T19:00:00Z'),
        ends_at: new Date('2030-07-01T22:00:00Z'),
        currency: 'CAD',
      })
      .returning('id')) as [{ id: string }];
    await db(TABLES.eventPerformers).insert({ event_id: eventId, performer_id: performerId });
  });

  it("matches an event by its name, its performer's name, its venue, city and description", async () => {
    expect(await matches(db, 'summer nights')).toEqual(['Summer Nights']);
    expect(await matches(db, 'Marisol Vega')).toEqual(['Summer Nights']);
    expect(await matches(db, 'harbourfront')).toEqual(['Summer Nights']);
    expect(await matches(db, 'toronto')).toEqual(['Summer Nights']);
    expect(await matches(db, 'dancing')).toEqual(['Summer Nights']);
    expect(await matches(db, 'berlin')).toEqual([]);
  });

  it('weights the name and performers above the venue and the venue above the description', async () => {
    const [row] = await db(TABLES.events)
      .where({ id: eventId })
      .select(
        db.raw(`ts_rank(search_vector, websearch_to_tsquery('english', 'vega')) AS performer`),
        db.raw(`ts_rank(search_vector, websearch_to_tsquery('english', 'toronto')) AS city`),
        db.raw(`ts_rank(search_vector, websearch_to_tsquery('english', 'dancing')) AS description`),
      );
    expect(row.performer).toBeGreaterThan(row.city);
    expect(row.city).toBeGreaterThan(row.description);
  });

  it('after a performer is renamed, the event matches the new name and no longer the old one', async () => {
    await db(TABLES.performers).where({ id: performerId }).update({ name: 'Taylor Brightwater' });
    expect(await matches(db, 'Brightwater')).toEqual(['Summer Nights']);
    expect(await matches(db, 'Marisol')).toEqual([]);
    const prefix = await db(TABLES.events).whereRaw(`search_vector @@ to_tsquery('english', 'tayl:*')`).pluck('name');
    expect(prefix).toEqual(['Summer Nights']);
  });

  it('follows a venue rename and a move to another city', async () => {
    await db(TABLES.venues).where({ id: venueId }).update({ name: 'Lakeside Pavilion', city: 'Chicago' });
    expect(await matches(db, 'lakeside chicago')).toEqual(['Summer Nights']);
    expect(await matches(db, 'toronto')).toEqual([]);
  });

  it('follows performers being added to and removed from the line-up', async () => {
    const [{ id: otherId }] = (await db(TABLES.performers)
      .insert({ name: 'Kojo Mensah', genre: 'afrobeats' })
      .returning('id')) as [{ id: string }];
    await db(TABLES.eventPerformers).insert({ event_id: eventId, performer_id: otherId, billing_order: 1 });
    expect(await matches(db, 'kojo')).toEqual(['Summer Nights']);
    await db(TABLES.eventPerformers).where({ event_id: eventId, performer_id: performerId }).del();
    expect(await matches(db, 'marisol')).toEqual([]);
    expect(await matches(db, 'kojo')).toEqual(['Summer Nights']);
    await db(TABLES.eventPerformers).where({ event_id: eventId }).update({ performer_id: performerId });
    expect(await matches(db, 'kojo')).toEqual([]);
    expect(await matches(db, 'marisol')).toEqual(['Summer Nights']);
  });

  it('follows a change of the event name and description', async () => {
    await db(TABLES.events).where({ id: eventId }).update({ name: 'Winter Lights', description: 'Candlelit strings' });
    expect(await matches(db, 'winter')).toEqual(['Winter Lights']);
    expect(await matches(db, 'candlelit')).toEqual(['Winter Lights']);
    expect(await matches(db, 'summer')).toEqual([]);
    expect(await matches(db, 'marisol')).toEqual(['Winter Lights']);
  });

  it('can be found by a misspelt name through the trigram index operator class', async () => {
    const rows = await db(TABLES.events).whereRaw(`name % ?`, ['Sumer Nigths']).pluck('name');
    expect(rows).toEqual(['Summer Nights']);
  });
});
