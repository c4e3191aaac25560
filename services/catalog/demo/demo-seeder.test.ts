import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, migrateToLatest } from '../../shared/db/database.js';
import { TABLES, type EventRow, type VenueRow } from '../../shared/db/tables.js';
import { createDemoGenerator } from './demo-generator.js';
import { seedDemoData } from './demo-seeder.js';

const NOW = new Date('2025-06-01T12:00:00Z');

async function count(db: Knex, table: string): Promise<number> {
  const [row] = await db(table).count<Array<{ count: number }>>('* as count');
  return Number(row!.count);
}

describe('demo seeder on PGlite', { timeout: 120_000 }, () => {
  let db: Knex;
  beforeAll(async () => {
    db = createDatabase({ kind: 'pglite' });
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await closeDatabase(db);
  });

  it("writes the demo with every event's tickets generated from its venue's seat map", async () => {
    const progress: Array<[number, number]> = [];
    const result = await seedDemoData(db, {
      events: 30,
      seed: 3,
      now: NOW,
      batchSize: 8,
      onProgress: (done, total) => progress.push([done, total]),
    });
    const demo = createDemoGenerator({ events: 30, seed: 3, now: NOW });
    const expectedTickets = [...demo.events()].reduce((sum, e) => sum + demo.ticketCount(e), 0);

    expect(result).toEqual({ venues: 8, performers: 60, events: 30, tickets: expectedTickets });
    expect(await count(db, TABLES.events)).toBe(30);
    expect(await count(db, TABLES.tickets)).toBe(expectedTickets);
    expect(progress).toEqual([[8, 30], [16, 30], [24, 30], [30, 30]]);

    const perEvent = await db(TABLES.tickets)
      .join(TABLES.events, 'events.id', 'tickets.event_id')
      .join(TABLES.venues, 'venues.id', 'events.venue_id')
      .groupBy('events.id', 'venues.capacity')
      .select('venues.capacity')
      .count<Array<{ capacity: number; count: number }>>('tickets.id as count');
    expect(perEvent).toHaveLength(30);
    for (const row of perEvent) expect(Number(row.count)).toBe(row.capacity);

    const venue = await db<VenueRow>(TABLES.venues).where({ id: demo.venues[0]!.id }).first();
    expect(venue?.seat_map).toEqual(demo.venues[0]!.seatMap);
    const hot = await db<EventRow>(TABLES.events).where({ high_demand: true });
    expect(hot.map((e) => e.id)).toEqual([demo.event(0).id]);
    expect(await count(db, TABLES.eventPerformers)).toBe(
      [...demo.events()].reduce((sum, e) => sum + e.performerIds.length, 0),
    );
  });

  it('adds nothing when run again with the same options', async () => {
    const before = {
      venues: await count(db, TABLES.venues),
      performers: await count(db, TABLES.performers),
      events: await count(db, TABLES.events),
      tickets: await count(db, TABLES.tickets),
      links: await count(db, TABLES.eventPerformers),
    };
    const again = await seedDemoData(db, { events: 30, seed: 3, now: NOW, batchSize: 8 });
    expect(again).toEqual({ venues: 0, performers: 0, events: 0, tickets: 0 });
    expect({
      venues: await count(db, TABLES.venues),
      performers: await count(db, TABLES.performers),
      events: await count(db, TABLES.events),
      tickets: await count(db, TABLES.tickets),
      links: await count(db, TABLES.eventPerformers),
    }).toEqual(before);
  });

  it('extends an existing demo when asked for more events, sharing its venues and performers', async () => {
    const result = await seedDemoData(db, { events: 35, seed: 3, now: NOW });
    const demo = createDemoGenerator({ events: 35, seed: 3, now: NOW });
    const added = [...demo.events(30, 35)].reduce((sum, e) => sum + demo.ticketCount(e), 0);
    expect(result).toEqual({ venues: 0, performers: 0, events: 5, tickets: added });
    expect(await count(db, TABLES.events)).toBe(35);
  });

  it('finds the hot event by the prefix "tayl" through the search vector', async () => {
    const rows = await db<EventRow>(TABLES.events)
      .whereRaw(`search_vector @@ to_tsquery('english', ?)`, ['tayl:*'])
      .select('name', 'high_demand');
    expect(rows).toEqual([{ name: expect.stringMatching(/^Taylor /), high_demand: true }]);
  });
});
