import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '007-payments-reservation';

// The reservation a confirm named, kept with its idempotency key: a retry of that key naming
// another reservation is a different order and is refused, even when no booking was made.
const UP = [`ALTER TABLE payments ADD COLUMN reservation_id text`];

const DOWN = [`ALTER TABLE payments DROP COLUMN reservation_id`];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
