import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '006-search-publication';

// The change stream the search indexer follows (logical replication, pgoutput). Only keys are
// published: the indexer reads the current rows itself, so the stream stays small (no search
// vectors, no seat maps) and a change to a venue or performer reaches every event it touches.
// Tickets are in it for the "from <price>" and "tickets left" fields of a result. Creating a
// publication needs no wal_level=logical; only the indexer's replication slot does.
export const SEARCH_PUBLICATION = 'boxoffice_search';

const UP = [
  `CREATE PUBLICATION ${SEARCH_PUBLICATION} FOR TABLE
     events (id), venues (id), performers (id), event_performers (event_id, performer_id), tickets (id, event_id)`,
];

const DOWN = [`DROP PUBLICATION ${SEARCH_PUBLICATION}`];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
