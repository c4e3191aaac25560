import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '008-search-unaccent';

// The search engine folds accents (asciifolding), so "Montreal" finds Montréal; the PostgreSQL
// search matches cities through unaccent() to answer the same. A trusted extension: the
// database owner may create it, and PGlite ships it.
const UP = [`CREATE EXTENSION IF NOT EXISTS unaccent`];

const DOWN = [`DROP EXTENSION IF EXISTS unaccent`];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
