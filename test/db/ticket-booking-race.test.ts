import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../services/shared/db/tables.js';
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from '../support/real-services.js';

const RACERS = 20;

describe.skipIf(!requireService('PostgreSQL', await postgresAvailable()))(
  'racing confirmations on PostgreSQL',
  { timeout: 60_000 },
  () => {
    let test: TestDatabase;
    let db: Knex;
    let eventId: string;
    let ticketId: string;

    beforeAll(async () => {
      // One connection per racer, so the transactions really run at the same time.
      test = await createTestDatabase({ poolMax: RACERS + 2 });
      db = test.db;
      const [{ id: venueId }] = await db(TABLES.venues)
        .insert({
          name: 'Race Hall', city: 'Berlin', country: 'DE', latitude: 52.5, longitude: 13.4,
          timezone: 'Europe/Berlin', capacity: 1,
          seat_map: JSON.stringify({ sections: [{ code: 'GA', name: 'Floor', kind: 'general_admission', capacity: 1 }] }),
        })
        .returning('id');
      [{ id: eventId }] = await db(TABLES.events)
        .insert({
          name: 'Race Night', type: 'concert', venue_id: venueId, currency: 'EUR',
          starts_at: new Date('2030-01-01T19:00:00Z'), ends_at: new Date('2030-01-01T22:00:00Z'),
        })
        .returning('id');
      [{ id: ticketId }] = await db(TABLES.tickets)
        .insert({ event_id: eventId, section: 'GA', row_label: null, seat_number: 1, price_minor: 4000, currency: 'EUR' })
        .returning('id');
    });
    afterAll(async () => {
      await test?.drop();
    });

    it(`of ${RACERS} transactions claiming the same ticket, exactly one updates the row`, async () => {
      // Every racer holds its transaction open until all have started, so none finishes early.
      let arrived = 0;
      let release!: () => void;
      const allStarted = new Promise<void>((resolve) => (release = resolve));

      const race = Array.from({ length: RACERS }, (_, racer) =>
        db.transaction(async (trx) => {
          const [{ id: bookingId }] = await trx(TABLES.bookings)
            .insert({
              user_id: `racer-${racer}`, event_id: eventId, total_minor: 4000, currency: 'EUR',
              idempotency_key: randomUUID(),
            })
            .returning('id');
          if (++arrived === RACERS) release();
          await allStarted;
          const result = await trx.raw<{ rowCount: number }>(
            `UPDATE tickets SET status = 'booked', booking_id = ?, version = version + 1
             WHERE id = ANY(?::uuid[]) AND status = 'available'`,
            [bookingId, [ticketId]],
          );
          if (result.rowCount !== 1) throw new Error('ticket already taken');
          await trx(TABLES.bookingItems).insert({ booking_id: bookingId, ticket_id: ticketId, price_minor: 4000 });
          return bookingId as string;
        }),
      );
      const outcomes = await Promise.allSettled(race);

      const winners = outcomes.filter((o): o is PromiseFulfilledResult<string> => o.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const loser of outcomes.filter((o) => o.status === 'rejected')) {
        expect((loser as PromiseRejectedResult).reason.message).toBe('ticket already taken');
      }
      const ticket = await db(TABLES.tickets).where({ id: ticketId }).first();
      expect(ticket).toMatchObject({ status: 'booked', booking_id: winners[0]!.value, version: 1 });
      expect(await db(TABLES.bookings).count<Array<{ count: number }>>('* as count')).toEqual([{ count: 1 }]);
      expect(await db(TABLES.bookingItems).where({ ticket_id: ticketId }).pluck('booking_id')).toEqual([
        winners[0]!.value,
      ]);
    });
  },
);
