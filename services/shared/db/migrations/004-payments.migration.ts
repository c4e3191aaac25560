import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '004-payments';

// Every step of authorize → commit → capture (or void/refund) is written here before and after
// it talks to the provider, so a crash between steps leaves a row the recovery worker can finish.
const UP = [
  `CREATE TABLE payments (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     user_id text NOT NULL,
     booking_id uuid REFERENCES bookings (id),
     idempotency_key text NOT NULL,
     provider text NOT NULL,
     provider_payment_id text,
     amount_minor integer NOT NULL CHECK (amount_minor >= 0),
     currency char(3) NOT NULL,
     status text NOT NULL DEFAULT 'pending'
       CHECK (status IN ('pending', 'authorized', 'captured', 'voided', 'refunded', 'declined', 'failed')),
     failure_reason text,
     ticket_ids uuid[] NOT NULL,
     attempts integer NOT NULL DEFAULT 0,
     next_attempt_at timestamptz,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT payments_idempotency_key_unique UNIQUE (idempotency_key)
   )`,
  // Only unfinished payments are ever scanned by recovery; the finished majority stays out.
  `CREATE INDEX payments_recovery_idx ON payments (status, next_attempt_at)
     WHERE status IN ('pending', 'authorized')`,
  `CREATE INDEX payments_booking_id_idx ON payments (booking_id) WHERE booking_id IS NOT NULL`,
  `CREATE TRIGGER payments_set_updated_at BEFORE UPDATE ON payments
     FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,
];

const DOWN = [`DROP TABLE payments`];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
