import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '003-tickets-bookings';

const UP = [
  `CREATE TABLE bookings (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     user_id text NOT NULL,
     event_id uuid NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
     status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
     total_minor integer NOT NULL CHECK (total_minor >= 0),
     currency char(3) NOT NULL,
     idempotency_key text NOT NULL,
     reservation_id text,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     -- A retried confirm finds the booking its first attempt made instead of making another.
     CONSTRAINT bookings_user_idempotency_key_unique UNIQUE (user_id, idempotency_key)
   )`,
  `CREATE INDEX bookings_user_created_at_idx ON bookings (user_id, created_at DESC)`,
  `CREATE INDEX bookings_event_id_idx ON bookings (event_id)`,
  `CREATE TRIGGER bookings_set_updated_at BEFORE UPDATE ON bookings
     FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

  `CREATE TABLE tickets (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
     section text NOT NULL,
     row_label text,
     seat_number integer CHECK (seat_number > 0),
     price_minor integer NOT NULL CHECK (price_minor >= 0),
     currency char(3) NOT NULL,
     status text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'booked')),
     version integer NOT NULL DEFAULT 0,
     booking_id uuid REFERENCES bookings (id),
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     -- NULLS NOT DISTINCT: general-admission tickets (row_label null) are still one per number.
     CONSTRAINT tickets_seat_unique UNIQUE NULLS NOT DISTINCT (event_id, section, row_label, seat_number),
     CONSTRAINT tickets_booked_iff_booking CHECK ((status = 'booked') = (booking_id IS NOT NULL))
   )`,
  `CREATE INDEX tickets_event_id_status_idx ON tickets (event_id, status)`,
  `CREATE INDEX tickets_booking_id_idx ON tickets (booking_id) WHERE booking_id IS NOT NULL`,
  `CREATE TRIGGER tickets_set_updated_at BEFORE UPDATE ON tickets
     FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

  `CREATE TABLE booking_items (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
     ticket_id uuid NOT NULL REFERENCES tickets (id),
     price_minor integer NOT NULL CHECK (price_minor >= 0),
     active boolean NOT NULL DEFAULT true,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  // The last line of defence against double selling: whatever the application does, a ticket
  // has at most one active booking item.
  `CREATE UNIQUE INDEX booking_items_active_ticket_unique ON booking_items (ticket_id) WHERE active`,
  `CREATE INDEX booking_items_booking_id_idx ON booking_items (booking_id)`,
  `CREATE TRIGGER booking_items_set_updated_at BEFORE UPDATE ON booking_items
     FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,
];

const DOWN = [`DROP TABLE booking_items`, `DROP TABLE tickets`, `DROP TABLE bookings`];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
