import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '005-search-lexicon';

// The words people type to find events — names of events, performers, venues and cities — so
// the PostgreSQL search can correct a typo ("calloway" for "caloway") to a known word with
// trigram similarity before it runs the full-text query. Words are only ever added: a word
// that no longer occurs costs nothing but an extra alternative that matches no event.
const UP = [
  `CREATE TABLE search_lexicon (word text PRIMARY KEY)`,
  `CREATE INDEX search_lexicon_word_trgm_idx ON search_lexicon USING gin (word gin_trgm_ops)`,

  // Shorter words are never corrected (a one-letter change turns them into other real words).
  `CREATE FUNCTION search_lexicon_words(p_text text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
     SELECT DISTINCT word FROM regexp_split_to_table(lower(p_text), '[^[:alnum:]]+') AS word
     WHERE length(word) >= 4
   $$`,

  // Statement-level for inserts: seeding writes thousands of events per statement.
  `CREATE FUNCTION search_lexicon_learn_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_TABLE_NAME = 'venues' THEN
       INSERT INTO search_lexicon (word)
         SELECT DISTINCT w FROM new_rows r CROSS JOIN LATERAL search_lexicon_words(r.name || ' ' || r.city) AS w
         ON CONFLICT DO NOTHING;
     ELSE
       INSERT INTO search_lexicon (word)
         SELECT DISTINCT w FROM new_rows r CROSS JOIN LATERAL search_lexicon_words(r.name) AS w
         ON CONFLICT DO NOTHING;
     END IF;
     RETURN NULL;
   END
   $$`,
  // Row-level with a WHEN for renames: most updates of these rows leave the names alone.
  `CREATE FUNCTION search_lexicon_learn_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_TABLE_NAME = 'venues' THEN
       INSERT INTO search_lexicon (word) SELECT search_lexicon_words(NEW.name || ' ' || NEW.city) ON CONFLICT DO NOTHING;
     ELSE
       INSERT INTO search_lexicon (word) SELECT search_lexicon_words(NEW.name) ON CONFLICT DO NOTHING;
     END IF;
     RETURN NULL;
   END
   $$`,

  `CREATE TRIGGER events_search_lexicon_insert AFTER INSERT ON events
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_learn_inserted()`,
  `CREATE TRIGGER events_search_lexicon_rename AFTER UPDATE OF name ON events
     FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION search_lexicon_learn_renamed()`,
  `CREATE TRIGGER performers_search_lexicon_insert AFTER INSERT ON performers
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_learn_inserted()`,
  `CREATE TRIGGER performers_search_lexicon_rename AFTER UPDATE OF name ON performers
     FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION search_lexicon_learn_renamed()`,
  `CREATE TRIGGER venues_search_lexicon_insert AFTER INSERT ON venues
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_learn_inserted()`,
  `CREATE TRIGGER venues_search_lexicon_rename AFTER UPDATE OF name, city ON venues
     FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.city IS DISTINCT FROM NEW.city)
     EXECUTE FUNCTION search_lexicon_learn_renamed()`,

  `INSERT INTO search_lexicon (word)
     SELECT search_lexicon_words(name) FROM events
     UNION SELECT search_lexicon_words(name) FROM performers
     UNION SELECT search_lexicon_words(name || ' ' || city) FROM venues
     ON CONFLICT DO NOTHING`,
];

const DOWN = [
  `DROP TRIGGER venues_search_lexicon_rename ON venues`,
  `DROP TRIGGER venues_search_lexicon_insert ON venues`,
  `DROP TRIGGER performers_search_lexicon_rename ON performers`,
  `DROP TRIGGER performers_search_lexicon_insert ON performers`,
  `DROP TRIGGER events_search_lexicon_rename ON events`,
  `DROP TRIGGER events_search_lexicon_insert ON events`,
  `DROP FUNCTION search_lexicon_learn_renamed()`,
  `DROP FUNCTION search_lexicon_learn_inserted()`,
  `DROP FUNCTION search_lexicon_words(text)`,
  `DROP TABLE search_lexicon`,
];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
