import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '011-payment-ledger-integrity';

const UP = [
  // The simulated provider's books, shared by every booking replica and kept across restarts:
  // recovery on one replica must see what another authorized. One row per authorize key (a
  // declined card is remembered too, so a repeated key answers the same).
  `CREATE TABLE simulated_payments (
     idempotency_key text PRIMARY KEY,
     provider_payment_id text UNIQUE,
     amount_minor integer NOT NULL CHECK (amount_minor >= 0),
     currency char(3) NOT NULL,
     status text NOT NULL CHECK (status IN ('authorized', 'captured', 'voided', 'refunded', 'declined')),
     decline_reason text,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT simulated_payments_declined_has_reason CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
     CONSTRAINT simulated_payments_authorized_has_id CHECK ((status = 'declined') = (provider_payment_id IS NULL))
   )`,
  `CREATE TRIGGER simulated_payments_set_updated_at BEFORE UPDATE ON simulated_payments
     FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,
  // Keys of capture, void and refund calls already applied: a repeat succeeds without effect.
  `CREATE TABLE simulated_payment_operations (
     idempotency_key text PRIMARY KEY,
     provider_payment_id text NOT NULL REFERENCES simulated_payments (provider_payment_id),
     operation text NOT NULL CHECK (operation IN ('capture', 'void', 'refund')),
     created_at timestamptz NOT NULL DEFAULT now()
   )`,

  // Idempotency keys were stored as "userId:key", so user "a:b" with key "c" and user "a" with
  // key "b:c" shared one row. The key is now scoped by the user_id column beside it.
  `UPDATE payments SET idempotency_key = substr(idempotency_key, length(user_id) + 2)
    WHERE starts_with(idempotency_key, user_id || ':')`,
  `ALTER TABLE payments DROP CONSTRAINT payments_idempotency_key_unique`,
  `ALTER TABLE payments ADD CONSTRAINT payments_user_idempotency_key_unique UNIQUE (user_id, idempotency_key)`,

  // 'voiding': recovery (or a lost sale) has claimed a payment without a booking before it asks
  // the provider to give the money back; the booking transaction only attaches 'pending' ones.
  // 'capture_failed': the dead letter of a capture that kept failing, for an operator.
  `ALTER TABLE payments DROP CONSTRAINT payments_status_check`,
  `ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN
     ('pending', 'authorized', 'captured', 'voiding', 'voided', 'refunded', 'declined', 'failed', 'capture_failed'))`,
  `ALTER TABLE payments ADD CONSTRAINT payments_voiding_without_booking CHECK (status <> 'voiding' OR booking_id IS NULL)`,
  // 'failed' means the provider never authorized: a payment with the provider's id is not that.
  // NOT VALID: the in-memory simulator's restarts could leave such rows behind; new ones are refused.
  `ALTER TABLE payments ADD CONSTRAINT payments_failed_never_authorized CHECK (status <> 'failed' OR provider_payment_id IS NULL) NOT VALID`,
  `DROP INDEX payments_recovery_idx`,
  `CREATE INDEX payments_recovery_idx ON payments (status, next_attempt_at)
     WHERE status IN ('pending', 'authorized', 'voiding')`,
];

const DOWN = [
  `DROP INDEX payments_recovery_idx`,
  `CREATE INDEX payments_recovery_idx ON payments (status, next_attempt_at) WHERE status IN ('pending', 'authorized')`,
  `ALTER TABLE payments DROP CONSTRAINT payments_failed_never_authorized`,
  `ALTER TABLE payments DROP CONSTRAINT payments_voiding_without_booking`,
  `UPDATE payments SET status = 'authorized' WHERE status IN ('voiding', 'capture_failed')`,
  `ALTER TABLE payments DROP CONSTRAINT payments_status_check`,
  `ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN
     ('pending', 'authorized', 'captured', 'voided', 'refunded', 'declined', 'failed'))`,
  `ALTER TABLE payments DROP CONSTRAINT payments_user_idempotency_key_unique`,
  `UPDATE payments SET idempotency_key = user_id || ':' || idempotency_key`,
  `ALTER TABLE payments ADD CONSTRAINT payments_idempotency_key_unique UNIQUE (idempotency_key)`,
  `DROP TABLE simulated_payment_operations`,
  `DROP TABLE simulated_payments`,
];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
