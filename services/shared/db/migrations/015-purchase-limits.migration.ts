import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '015-purchase-limits';

// The book_tickets function of migration 010, then the purchase limit inside its transaction.
const BOOK_TICKETS_010 = `CREATE FUNCTION book_tickets(
     p_booking_id uuid, p_user_id text, p_event_id uuid, p_total_minor integer, p_currency text,
     p_idempotency_key text, p_reservation_id text, p_payment_id uuid, p_provider_payment_id text,
     p_ticket_ids uuid[], p_prices integer[])
   RETURNS TABLE (outcome text, booked_at timestamptz)
   LANGUAGE plpgsql AS $$
   DECLARE
     v_count integer;
     v_booked_at timestamptz;
   BEGIN
     UPDATE payments
        SET status = 'authorized', provider_payment_id = p_provider_payment_id, failure_reason = NULL, next_attempt_at = NULL
      WHERE id = p_payment_id AND status = 'pending';
     IF NOT FOUND THEN
       RETURN QUERY SELECT 'payment_not_authorized'::text, NULL::timestamptz;
       RETURN;
     END IF;
     PERFORM 1 FROM tickets WHERE id = ANY (p_ticket_ids) ORDER BY id FOR UPDATE;
     SELECT count(*) INTO v_count FROM tickets WHERE id = ANY (p_ticket_ids) AND event_id = p_event_id AND status = 'available';
     IF v_count <> cardinality(p_ticket_ids) THEN
       RETURN QUERY SELECT 'seat_taken'::text, NULL::timestamptz;
       RETURN;
     END IF;
     INSERT INTO bookings (id, user_id, event_id, total_minor, currency, idempotency_key, reservation_id)
     VALUES (p_booking_id, p_user_id, p_event_id, p_total_minor, p_currency, p_idempotency_key, p_reservation_id)
     RETURNING created_at INTO v_booked_at;
     UPDATE tickets SET status = 'booked', booking_id = p_booking_id, version = version + 1
      WHERE id = ANY (p_ticket_ids) AND event_id = p_event_id AND status = 'available';
     GET DIAGNOSTICS v_count = ROW_COUNT;
     IF v_count <> cardinality(p_ticket_ids) THEN
       RAISE EXCEPTION 'book_tickets: % of % seats updated under their locks', v_count, cardinality(p_ticket_ids);
     END IF;
     INSERT INTO booking_items (booking_id, ticket_id, price_minor)
     SELECT p_booking_id, seat.ticket_id, seat.price_minor FROM unnest(p_ticket_ids, p_prices) AS seat (ticket_id, price_minor);
     UPDATE payments SET booking_id = p_booking_id WHERE id = p_payment_id;
     RETURN QUERY SELECT 'booked'::text, v_booked_at;
   END
   $$`;

const UP = [
  // Tickets one account may hold plus have bought of the event (issue 12); admins set it.
  `ALTER TABLE events ADD COLUMN purchase_limit integer NOT NULL DEFAULT 8 CHECK (purchase_limit BETWEEN 1 AND 100)`,
  // What a buyer has bought of an event: counted at every reserve and inside every confirm.
  `CREATE INDEX bookings_user_event_confirmed_idx ON bookings (user_id, event_id) WHERE status = 'confirmed'`,
  `DROP FUNCTION book_tickets(uuid, text, uuid, integer, text, text, text, uuid, text, uuid[], integer[])`,
  // Migration 010's transaction, plus the purchase limit. A transaction-scoped advisory lock on
  // (user, event) comes first and serialises one buyer's confirms of one event (every replica,
  // every connection): the count of their booked tickets and the booking that adds to it then
  // happen as one step, so two confirms cannot each see room for their seats and both commit.
  // It is taken before any row lock and never while holding one, so it adds no deadlock: two
  // confirms of one buyer queue on it, confirms of different buyers never meet on it (a hash
  // collision only makes two of them queue). The limit is read from the event row in the same
  // transaction, so lowering it applies to every confirm that commits after. A refused confirm
  // still records the authorization, as for a taken seat, so the caller voids it.
  `CREATE FUNCTION book_tickets(
     p_booking_id uuid, p_user_id text, p_event_id uuid, p_total_minor integer, p_currency text,
     p_idempotency_key text, p_reservation_id text, p_payment_id uuid, p_provider_payment_id text,
     p_ticket_ids uuid[], p_prices integer[])
   RETURNS TABLE (outcome text, booked_at timestamptz, bought integer, purchase_limit integer)
   LANGUAGE plpgsql AS $$
   DECLARE
     v_count integer;
     v_booked_at timestamptz;
     v_bought integer;
     v_limit integer;
   BEGIN
     PERFORM pg_advisory_xact_lock(hashtextextended('purchase-limit:' || p_user_id || ':' || p_event_id::text, 0));
     UPDATE payments
        SET status = 'authorized', provider_payment_id = p_provider_payment_id, failure_reason = NULL, next_attempt_at = NULL
      WHERE id = p_payment_id AND status = 'pending';
     IF NOT FOUND THEN
       -- Recovery (or a takeover) moved the payment first: nobody books with it.
       RETURN QUERY SELECT 'payment_not_authorized'::text, NULL::timestamptz, NULL::integer, NULL::integer;
       RETURN;
     END IF;
     PERFORM 1 FROM tickets WHERE id = ANY (p_ticket_ids) ORDER BY id FOR UPDATE;
     SELECT count(*) INTO v_count FROM tickets WHERE id = ANY (p_ticket_ids) AND event_id = p_event_id AND status = 'available';
     IF v_count <> cardinality(p_ticket_ids) THEN
       RETURN QUERY SELECT 'seat_taken'::text, NULL::timestamptz, NULL::integer, NULL::integer;
       RETURN;
     END IF;
     SELECT e.purchase_limit INTO v_limit FROM events e WHERE e.id = p_event_id;
     SELECT count(*) INTO v_bought FROM tickets t JOIN bookings b ON b.id = t.booking_id
      WHERE b.user_id = p_user_id AND b.event_id = p_event_id AND b.status = 'confirmed';
     IF v_bought + cardinality(p_ticket_ids) > v_limit THEN
       RETURN QUERY SELECT 'purchase_limit'::text, NULL::timestamptz, v_bought, v_limit;
       RETURN;
     END IF;
     INSERT INTO bookings (id, user_id, event_id, total_minor, currency, idempotency_key, reservation_id)
     VALUES (p_booking_id, p_user_id, p_event_id, p_total_minor, p_currency, p_idempotency_key, p_reservation_id)
     RETURNING created_at INTO v_booked_at;
     UPDATE tickets SET status = 'booked', booking_id = p_booking_id, version = version + 1
      WHERE id = ANY (p_ticket_ids) AND event_id = p_event_id AND status = 'available';
     GET DIAGNOSTICS v_count = ROW_COUNT;
     IF v_count <> cardinality(p_ticket_ids) THEN
       RAISE EXCEPTION 'book_tickets: % of % seats updated under their locks', v_count, cardinality(p_ticket_ids);
     END IF;
     INSERT INTO booking_items (booking_id, ticket_id, price_minor)
     SELECT p_booking_id, seat.ticket_id, seat.price_minor FROM unnest(p_ticket_ids, p_prices) AS seat (ticket_id, price_minor);
     UPDATE payments SET booking_id = p_booking_id WHERE id = p_payment_id;
     RETURN QUERY SELECT 'booked'::text, v_booked_at, v_bought + cardinality(p_ticket_ids), v_limit;
   END
   $$`,
];

const DOWN = [
  `DROP FUNCTION book_tickets(uuid, text, uuid, integer, text, text, text, uuid, text, uuid[], integer[])`,
  BOOK_TICKETS_010,
  `DROP INDEX bookings_user_event_confirmed_idx`,
  `ALTER TABLE events DROP COLUMN purchase_limit`,
];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
