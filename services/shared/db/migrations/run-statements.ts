import type { Knex } from 'knex';

// PGlite's query path accepts one statement per call, so migrations keep their SQL as a list
// and send it statement by statement (identically on a PostgreSQL server).
export async function runStatements(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    await knex.raw(statement);
  }
}
