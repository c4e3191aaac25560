import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '002-event-search';

// events.search_vector is derived from four tables. Triggers keep it current on every write
// path, so the PostgreSQL search fallback never depends on application code remembering to
// refresh it; the refreshing UPDATEs also surface as event changes in the logical replication
// stream the search indexer follows.
const UP = [
  `CREATE FUNCTION events_search_document(
     p_event_id uuid, p_name text, p_description text, p_venue_id uuid
   ) RETURNS tsvector LANGUAGE sql STABLE AS $$
     SELECT
       setweight(to_tsvector('english'::regconfig, coalesce(p_name, '')), 'A') ||
       setweight(to_tsvector('english'::regconfig, coalesce((
         SELECT string_agg(p.name, ' ' ORDER BY ep.billing_order, p.name)
         FROM event_performers ep JOIN performers p ON p.id = ep.performer_id
         WHERE ep.event_id = p_event_id
       ), '')), 'A') ||
       setweight(to_tsvector('english'::regconfig, coalesce((
         SELECT v.name || ' ' || v.city FROM venues v WHERE v.id = p_venue_id
       ), '')), 'B') ||
       setweight(to_tsvector('english'::regconfig, coalesce(p_description, '')), 'C')
   $$`,

  `CREATE FUNCTION events_search_vector_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     NEW.search_vector := events_search_document(NEW.id, NEW.name, NEW.description, NEW.venue_id);
     RETURN NEW;
   END
   $$`,
  // Column list: the refreshes below only SET search_vector and must not re-enter this trigger.
  `CREATE TRIGGER events_search_vector_on_write
     BEFORE INSERT OR UPDATE OF name, description, venue_id ON events
     FOR EACH ROW EXECUTE FUNCTION events_search_vector_on_write()`,

  // Statement-level with transition tables: seeding links thousands of performers per statement
  // and each affected event should be recomputed once, not once per link.
  `CREATE FUNCTION event_performers_refresh_search() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       UPDATE events e
         SET search_vector = events_search_document(e.id, e.name, e.description, e.venue_id)
         WHERE e.id IN (SELECT event_id FROM new_links);
     ELSIF TG_OP = 'UPDATE' THEN
       UPDATE events e
         SET search_vector = events_search_document(e.id, e.name, e.description, e.venue_id)
         WHERE e.id IN (SELECT event_id FROM new_links UNION SELECT event_id FROM old_links);
     ELSE
       UPDATE events e
         SET search_vector = events_search_document(e.id, e.name, e.description, e.venue_id)
         WHERE e.id IN (SELECT event_id FROM old_links);
     END IF;
     RETURN NULL;
   END
   $$`,
  `CREATE TRIGGER event_performers_refresh_search_insert
     AFTER INSERT ON event_performers REFERENCING NEW TABLE AS new_links
     FOR EACH STATEMENT EXECUTE FUNCTION event_performers_refresh_search()`,
  `CREATE TRIGGER event_performers_refresh_search_update
     AFTER UPDATE ON event_performers REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
     FOR EACH STATEMENT EXECUTE FUNCTION event_performers_refresh_search()`,
  `CREATE TRIGGER event_performers_refresh_search_delete
     AFTER DELETE ON event_performers REFERENCING OLD TABLE AS old_links
     FOR EACH STATEMENT EXECUTE FUNCTION event_performers_refresh_search()`,

  `CREATE FUNCTION performers_refresh_search() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     UPDATE events e
       SET search_vector = events_search_document(e.id, e.name, e.description, e.venue_id)
       WHERE e.id IN (SELECT ep.event_id FROM event_performers ep WHERE ep.performer_id = NEW.id);
     RETURN NULL;
   END
   $$`,
  `CREATE TRIGGER performers_refresh_search
     AFTER UPDATE OF name ON performers
     FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
     EXECUTE FUNCTION performers_refresh_search()`,

  `CREATE FUNCTION venues_refresh_search() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     UPDATE events e
       SET search_vector = events_search_document(e.id, e.name, e.description, e.venue_id)
       WHERE e.venue_id = NEW.id;
     RETURN NULL;
   END
   $$`,
  `CREATE TRIGGER venues_refresh_search
     AFTER UPDATE OF name, city ON venues
     FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.city IS DISTINCT FROM NEW.city)
     EXECUTE FUNCTION venues_refresh_search()`,

  // Events written while these triggers were absent (e.g. after a partial rollback).
  `UPDATE events e
     SET search_vector = events_search_document(e.id, e.name, e.description, e.venue_id)`,
];

const DOWN = [
  `DROP TRIGGER venues_refresh_search ON venues`,
  `DROP FUNCTION venues_refresh_search()`,
  `DROP TRIGGER performers_refresh_search ON performers`,
  `DROP FUNCTION performers_refresh_search()`,
  `DROP TRIGGER event_performers_refresh_search_delete ON event_performers`,
  `DROP TRIGGER event_performers_refresh_search_update ON event_performers`,
  `DROP TRIGGER event_performers_refresh_search_insert ON event_performers`,
  `DROP FUNCTION event_performers_refresh_search()`,
  `DROP TRIGGER events_search_vector_on_write ON events`,
  `DROP FUNCTION events_search_vector_on_write()`,
  `DROP FUNCTION events_search_document(uuid, text, text, uuid)`,
];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
