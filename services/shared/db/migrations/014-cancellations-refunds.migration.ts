import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '014-cancellations-refunds';

const UP = [
  // A booking is cancelled (by an admin's refund, or with its event) and then refunded once every
  // payment behind it is given back; why and when stay on the row for the buyer's page.
  `ALTER TABLE bookings DROP CONSTRAINT bookings_status_check`,
  `ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN ('confirmed', 'cancelled', 'refunded'))`,
  `ALTER TABLE bookings ADD COLUMN cancel_reason text CHECK (cancel_reason IN ('event_cancelled', 'refunded_by_admin'))`,
  `ALTER TABLE bookings ADD COLUMN cancelled_at timestamptz`,
  `ALTER TABLE bookings ADD COLUMN refunded_at timestamptz`,
  `ALTER TABLE bookings ADD CONSTRAINT bookings_cancel_recorded CHECK ((status = 'confirmed') = (cancel_reason IS NULL AND cancelled_at IS NULL))`,
  `ALTER TABLE bookings ADD CONSTRAINT bookings_refunded_at CHECK ((status = 'refunded') = (refunded_at IS NOT NULL))`,

  // 'refunding': a paid booking was cancelled and its money is being given back; the refund job
  // (or recovery, after a crash) moves it to 'refunded', or 'voided' if it was never captured.
  `ALTER TABLE payments DROP CONSTRAINT payments_status_check`,
  `ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN
     ('pending', 'authorized', 'captured', 'voiding', 'voided', 'refunding', 'refunded', 'declined', 'failed', 'capture_failed'))`,
  `ALTER TABLE payments ADD CONSTRAINT payments_refunding_has_booking CHECK (status <> 'refunding' OR booking_id IS NOT NULL)`,
  `CREATE INDEX payments_refunding_idx ON payments (booking_id) WHERE status = 'refunding'`,

  // A booking of a cancelled event is refused inside the booking transaction itself. The share
  // lock on the event row orders it against CancelEvent's update: a booking that commits first
  // is found (and refunded) by the cancellation; one that comes after sees the event cancelled.
  // The foreign key's check already takes a key-share lock on that row for every booking, but
  // it runs after the insert and does not conflict with an update of the status: hence this one.
  `CREATE FUNCTION bookings_refuse_cancelled_event() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     v_status text;
   BEGIN
     SELECT status INTO v_status FROM events WHERE id = NEW.event_id FOR SHARE;
     IF v_status = 'cancelled' THEN
       RAISE EXCEPTION 'event % is cancelled', NEW.event_id USING ERRCODE = 'BX001';
     END IF;
     RETURN NEW;
   END
   $$`,
  `CREATE TRIGGER bookings_refuse_cancelled_event BEFORE INSERT ON bookings
     FOR EACH ROW EXECUTE FUNCTION bookings_refuse_cancelled_event()`,
];

const DOWN = [
  `DROP TRIGGER bookings_refuse_cancelled_event ON bookings`,
  `DROP FUNCTION bookings_refuse_cancelled_event()`,
  `DROP INDEX payments_refunding_idx`,
  `ALTER TABLE payments DROP CONSTRAINT payments_refunding_has_booking`,
  `UPDATE payments SET status = 'captured' WHERE status = 'refunding'`,
  `ALTER TABLE payments DROP CONSTRAINT payments_status_check`,
  `ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN
     ('pending', 'authorized', 'captured', 'voiding', 'voided', 'refunded', 'declined', 'failed', 'capture_failed'))`,
  `ALTER TABLE bookings DROP CONSTRAINT bookings_refunded_at`,
  `ALTER TABLE bookings DROP CONSTRAINT bookings_cancel_recorded`,
  `ALTER TABLE bookings DROP COLUMN refunded_at`,
  `ALTER TABLE bookings DROP COLUMN cancelled_at`,
  `ALTER TABLE bookings DROP COLUMN cancel_reason`,
  `UPDATE bookings SET status = 'cancelled' WHERE status = 'refunded'`,
  `ALTER TABLE bookings DROP CONSTRAINT bookings_status_check`,
  `ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN ('confirmed', 'cancelled'))`,
];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
