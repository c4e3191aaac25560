import type { Knex } from 'knex';
import { runStatements } from './run-statements.js';

export const name = '001-catalog';

const UP = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,

  // Shared by every table's updated_at trigger, so rows written by any service stay truthful.
  `CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     NEW.updated_at := now();
     RETURN NEW;
   END
   $$`,

  `CREATE TABLE venues (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     name text NOT NULL,
     address text NOT NULL DEFAULT '',
     city text NOT NULL,
     country char(2) NOT NULL,
     latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
     longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
     timezone text NOT NULL,
     capacity integer NOT NULL CHECK (capacity >= 0),
     seat_map jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX venues_lower_city_idx ON venues (lower(city))`,
  `CREATE TRIGGER venues_set_updated_at BEFORE UPDATE ON venues
     FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

  `CREATE TABLE performers (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     name text NOT NULL,
     genre text NOT NULL DEFAULT '',
     description text NOT NULL DEFAULT '',
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TRIGGER performers_set_updated_at BEFORE UPDATE ON performers
     FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

  `CREATE TABLE events (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     name text NOT NULL,
     description text NOT NULL DEFAULT '',
     type text NOT NULL
       CHECK (type IN ('concert', 'sports', 'theater', 'comedy', 'festival', 'family', 'conference')),
     venue_id uuid NOT NULL REFERENCES venues (id) ON DELETE RESTRICT,
     starts_at timestamptz NOT NULL,
     ends_at timestamptz NOT NULL,
     on_sale_at timestamptz,
     high_demand boolean NOT NULL DEFAULT false,
     status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
     currency char(3) NOT NULL,
     search_vector tsvector NOT NULL DEFAULT '',
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT events_ends_after_start CHECK (ends_at > starts_at)
   )`,
  `CREATE INDEX events_starts_at_idx ON events (starts_at)`,
  `CREATE INDEX events_venue_id_idx ON events (venue_id)`,
  `CREATE INDEX events_type_starts_at_idx ON events (type, starts_at)`,
  `CREATE INDEX events_search_vector_idx ON events USING gin (search_vector)`,
  // Typo-tolerant and substring matching on names, which full-text stemming cannot do.
  `CREATE INDEX events_name_trgm_idx ON events USING gin (name gin_trgm_ops)`,
  `CREATE TRIGGER events_set_updated_at BEFORE UPDATE ON events
     FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

  `CREATE TABLE event_performers (
     event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
     performer_id uuid NOT NULL REFERENCES performers (id) ON DELETE RESTRICT,
     billing_order integer NOT NULL DEFAULT 0,
     PRIMARY KEY (event_id, performer_id)
   )`,
  `CREATE INDEX event_performers_performer_id_idx ON event_performers (performer_id)`,
];

const DOWN = [
  `DROP TABLE event_performers`,
  `DROP TABLE events`,
  `DROP TABLE performers`,
  `DROP TABLE venues`,
  `DROP FUNCTION set_updated_at()`,
  // Fails, rather than cascading, if something outside these migrations came to use it.
  `DROP EXTENSION IF EXISTS pg_trgm`,
];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, UP);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, DOWN);
}
