import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '010-book-tickets-function';

// Confirm's transaction as one function, so a sale costs one round trip to PostgreSQL instead
// of eight statements (BEGIN, the ledger move, INSERT, SELECT FOR UPDATE, UPDATE, INSERT,
// UPDATE, COMMIT). The rules are those of the statements it replaces (DESIGN.md): the
// authorization is recorded in the same transaction as the booking it pays for; every seat is
// locked in id order (overlapping orders queue, never deadlock); the conditional update must
// touch every seat; the unique index on active booking items stays the last guard. A lost sale
// still records the authorization, so the caller voids it from the ledger's 'authorized' row.
const UP = [
  `CREATE FUNCTION book_tickets(
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
       -- Recovery (or a takeover) moved the payment first: nobody books with it.
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
   $$`,
];

const DOWN = [`DROP FUNCTION book_tickets(uuid, text, uuid, integer, text, text, text, uuid, text, uuid[], integer[])`];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
