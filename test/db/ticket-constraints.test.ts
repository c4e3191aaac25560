import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../services/shared/db/tables.js';
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from '../support/real-services.js';

interface PgError {
  code?: string;
  constraint?: string;
}

async function pgErrorOf(work: Promise<unknown>): Promise<PgError> {
  try {
    await work;
  } catch (error) {
    return error as PgError;
  }
  throw new Error('expected the database to reject the statement');
}

async function insertEventWithTickets(db: Knex, seats: number): Promise<{ eventId: string; ticketIds: string[] }> {
  const [{ id: venueId }] = (await db(TABLES.venues)
    .insert({
      name: 'Test Hall',
      city: 'London',
      country: 'GB',
      latitude: 51.5,
      longitude: -0.12,
      timezone: 'Europe/London',
      capacity: seats,
      seat_map: JSON.stringify({ sections: [{ code: 'A', name: 'A', kind: 'seated', rows: [{ label: '1', seats }] }] }),
    })
    .returning('id')) as [{ id: string }];
  const [{ id: eventId }] = (await db(TABLES.events)
    .insert({
      name: 'Constraint Night',
      type: 'concert',
      venue_id: venueId,
      starts_at: new Date('2030-01-01T19:00:00Z'),
      ends_at: new Date('2030-01-01T22:00:00Z'),
      currency: 'GBP',
    })
    .returning('id')) as [{ id: string }];
  const tickets = (await db(TABLES.tickets)
    .insert(
      Array.from({ length: seats }, (_, i) => ({
        event_id: eventId,
        section: 'A',
        row_label: '1',
        seat_number: i + 1,
        price_minor: 2500,
        currency: 'GBP',
      })),
    )
    .returning('id')) as Array<{ id: string }>;
  return { eventId, ticketIds: tickets.map((t) => t.id) };
}

async function insertBooking(db: Knex, eventId: string, userId = 'alice'): Promise<string> {
  const [{ id }] = (await db(TABLES.bookings)
    .insert({ user_id: userId, event_id: eventId, total_minor: 2500, currency: 'GBP', idempotency_key: randomUUID() })
    .returning('id')) as [{ id: string }];
  return id;
}

describe.skipIf(!requireService('PostgreSQL', await postgresAvailable()))(
  'ticket and booking constraints on PostgreSQL',
  { timeout: 60_000 },
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

    it('a ticket cannot get a second active booking item, even when application code tries', async () => {
      const { eventId, ticketIds } = await insertEventWithTickets(db, 1);
      const first = await insertBooking(db, eventId, 'alice');
      const second = await insertBooking(db, eventId, 'bob');
      await db(TABLES.bookingItems).insert({ booking_id: first, ticket_id: ticketIds[0], price_minor: 2500 });

      const error = await pgErrorOf(
        db(TABLES.bookingItems).insert({ booking_id: second, ticket_id: ticketIds[0], price_minor: 2500 }),
      );
      expect(error.code).toBe('23505');
      expect(error.constraint).toBe('booking_items_active_ticket_unique');

      // Once the first owner's item is inactive (cancelled booking), the ticket can be sold again.
      await db(TABLES.bookingItems).where({ booking_id: first }).update({ active: false });
      await db(TABLES.bookingItems).insert({ booking_id: second, ticket_id: ticketIds[0], price_minor: 2500 });
      expect(await db(TABLES.bookingItems).where({ ticket_id: ticketIds[0], active: true }).pluck('booking_id')).toEqual([
        second,
      ]);
    });

    it('rejects a ticket status outside available/booked', async () => {
      const { ticketIds } = await insertEventWithTickets(db, 1);
      const error = await pgErrorOf(db(TABLES.tickets).where({ id: ticketIds[0] }).update({ status: 'sold' }));
      expect(error.code).toBe('23514');
    });

    it('rejects a booked ticket without a booking, and a booking on an available ticket', async () => {
      const { eventId, ticketIds } = await insertEventWithTickets(db, 1);
      const bookedWithoutBooking = await pgErrorOf(
        db(TABLES.tickets).where({ id: ticketIds[0] }).update({ status: 'booked' }),
      );
      expect(bookedWithoutBooking.code).toBe('23514');
      expect(bookedWithoutBooking.constraint).toBe('tickets_booked_iff_booking');

      const bookingId = await insertBooking(db, eventId);
      const availableWithBooking = await pgErrorOf(
        db(TABLES.tickets).where({ id: ticketIds[0] }).update({ booking_id: bookingId }),
      );
      expect(availableWithBooking.code).toBe('23514');

      const updated = await db(TABLES.tickets)
        .where({ id: ticketIds[0] })
        .update({ status: 'booked', booking_id: bookingId });
      expect(updated).toBe(1);
    });

    it('allows one ticket per seat, general admission included', async () => {
      const { eventId } = await insertEventWithTickets(db, 1);
      const seatTwice = await pgErrorOf(
        db(TABLES.tickets).insert({
          event_id: eventId, section: 'A', row_label: '1', seat_number: 1, price_minor: 1, currency: 'GBP',
        }),
      );
      expect(seatTwice.code).toBe('23505');

      const standing = { event_id: eventId, section: 'FLOOR', row_label: null, seat_number: 1, price_minor: 1, currency: 'GBP' };
      await db(TABLES.tickets).insert(standing);
      const standingTwice = await pgErrorOf(db(TABLES.tickets).insert(standing));
      expect(standingTwice.code).toBe('23505');
      expect(standingTwice.constraint).toBe('tickets_seat_unique');
    });

    it('keeps one booking per user and idempotency key, and one payment per idempotency key', async () => {
      const { eventId, ticketIds } = await insertEventWithTickets(db, 1);
      const booking = { user_id: 'carol', event_id: eventId, total_minor: 100, currency: 'GBP', idempotency_key: 'k-1' };
      await db(TABLES.bookings).insert(booking);
      expect((await pgErrorOf(db(TABLES.bookings).insert(booking))).code).toBe('23505');
      await db(TABLES.bookings).insert({ ...booking, user_id: 'dave' });

      const payment = {
        user_id: 'carol', idempotency_key: 'carol:k-1', provider: 'simulated', amount_minor: 100,
        currency: 'GBP', ticket_ids: ticketIds,
      };
      await db(TABLES.payments).insert(payment);
      expect((await pgErrorOf(db(TABLES.payments).insert(payment))).code).toBe('23505');
      const [stored] = await db(TABLES.payments).where({ idempotency_key: 'carol:k-1' }).select('ticket_ids', 'status');
      expect(stored).toEqual({ ticket_ids: ticketIds, status: 'pending' });
      expect(
        (await pgErrorOf(db(TABLES.payments).insert({ ...payment, idempotency_key: 'x', status: 'paid' }))).code,
      ).toBe('23514');
    });

    it('rejects an event that ends before it starts and an unknown event type', async () => {
      const [venue] = await db(TABLES.venues).select('id').limit(1);
      const base = {
        name: 'Bad', type: 'concert', venue_id: venue.id, currency: 'GBP',
        starts_at: new Date('2030-01-01T19:00:00Z'), ends_at: new Date('2030-01-01T22:00:00Z'),
      };
      expect((await pgErrorOf(db(TABLES.events).insert({ ...base, ends_at: base.starts_at }))).code).toBe('23514');
      expect((await pgErrorOf(db(TABLES.events).insert({ ...base, type: 'rave' }))).code).toBe('23514');
    });
  },
);
