import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '009-search-accent-folding';

/**
 * The text search configuration events are indexed and queried with: English stemming after
 * unaccent, the setup PostgreSQL's unaccent documentation gives. The search engine folds accents
 * in free text too (asciifolding), so "montreal" and "Montréal", "Beyonce" and "Beyoncé" are one
 * word on both backends.
 */
export const SEARCH_TEXT_CONFIG = 'boxoffice_search';

// events_search_document as 002 wrote it, with the configuration as the only difference; down
// restores 'english'. Kept whole here because a migration must not change when a later one does.
const searchDocument = (config: string) => `CREATE OR REPLACE FUNCTION events_search_document(
     p_event_id uuid, p_name text, p_description text, p_venue_id uuid
   ) RETURNS tsvector LANGUAGE sql STABLE AS $$
     SELECT
       setweight(to_tsvector('${config}'::regconfig, coalesce(p_name, '')), 'A') ||
       setweight(to_tsvector('${config}'::regconfig, coalesce((
         SELECT string_agg(p.name, ' ' ORDER BY ep.billing_order, p.name)
         FROM event_performers ep JOIN performers p ON p.id = ep.performer_id
         WHERE ep.event_id = p_event_id
       ), '')), 'A') ||
       setweight(to_tsvector('${config}'::regconfig, coalesce((
         SELECT v.name || ' ' || v.city FROM venues v WHERE v.id = p_venue_id
       ), '')), 'B') ||
       setweight(to_tsvector('${config}'::regconfig, coalesce(p_description, '')), 'C')
   $$`;

// Only search_vector is set, so the row trigger (on name, description, venue_id) stays quiet;
// the indexer sees one update per event and re-reads it, which is harmless.
const REFRESH = `UPDATE events e SET search_vector = events_search_document(e.id, e.name, e.description, e.venue_id)`;

const UP = [
  `CREATE TEXT SEARCH CONFIGURATION ${SEARCH_TEXT_CONFIG} (COPY = english)`,
  `ALTER TEXT SEARCH CONFIGURATION ${SEARCH_TEXT_CONFIG}
     ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem`,
  searchDocument(SEARCH_TEXT_CONFIG),
  REFRESH,
];

const DOWN = [searchDocument('english'), REFRESH, `DROP TEXT SEARCH CONFIGURATION ${SEARCH_TEXT_CONFIG}`];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
