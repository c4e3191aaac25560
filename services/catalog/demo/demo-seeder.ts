import type { Knex } from 'knex';
import {
  TABLES,
  type EventInsert,
  type EventPerformerInsert,
  type PerformerInsert,
} from '../../shared/db/tables.js';
import { createDemoGenerator, type DemoEvent, type DemoGenerator, type DemoOptions } from './demo-generator.js';

export interface SeedDemoOptions extends DemoOptions {
  events: number;
  // Events written per transaction: a crash loses at most one batch, and a re-run redoes it.
  batchSize?: number;
  onProgress?(done: number, total: number): void;
}

// Rows this run inserted; a repeated run with the same options reports zeros.
export interface SeedDemoResult {
  venues: number;
  performers: number;
  events: number;
  tickets: number;
}

const TICKET_CHUNK = 10_000;
const EVENT_CHUNK = 500;

function rowCount(result: unknown): number {
  return (result as { rowCount?: number | null }).rowCount ?? 0;
}

async function insertIgnoringDuplicates<Row extends object>(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Row[],
  chunkSize: number,
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += chunkSize) {
    // Any unique key may collide with a row from an earlier or concurrent run; that row wins.
    inserted += rowCount(await trx(table).insert(rows.slice(i, i + chunkSize)).onConflict().ignore());
  }
  return inserted;
}

interface TicketColumns {
  id: string[];
  eventId: string[];
  section: string[];
  rowLabel: Array<string | null>;
  seatNumber: number[];
  priceMinor: number[];
  currency: string[];
}

function emptyTicketColumns(): TicketColumns {
  return { id: [], eventId: [], section: [], rowLabel: [], seatNumber: [], priceMinor: [], currency: [] };
}

// Tickets are nearly all of the demo's rows. One array per column through unnest() halves the
// seeding time on PGlite against a multi-row VALUES list (7 bind parameters a statement instead
// of 7 per row) and has no 65,535-parameter ceiling.
async function insertTicketColumns(trx: Knex.Transaction, columns: TicketColumns): Promise<number> {
  const result = await trx.raw(
    `INSERT INTO ${TABLES.tickets} (id, event_id, section, row_label, seat_number, price_minor, currency)
     SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[])
     ON CONFLICT DO NOTHING`,
    [
      columns.id,
      columns.eventId,
      columns.section,
      // Both drivers send null entries as NULL elements; knex's RawBinding type omits such arrays.
      columns.rowLabel as unknown as Knex.RawBinding,
      columns.seatNumber,
      columns.priceMinor,
      columns.currency,
    ],
  );
  return rowCount(result);
}

async function seedCatalog(db: Knex, demo: DemoGenerator): Promise<Pick<SeedDemoResult, 'venues' | 'performers'>> {
  return db.transaction(async (trx) => {
    const venues = demo.venues.map((venue) => ({
      id: venue.id,
      name: venue.name,
      address: venue.address,
      city: venue.city,
      country: venue.country,
      latitude: venue.latitude,
      longitude: venue.longitude,
      timezone: venue.timezone,
      capacity: venue.capacity,
      // A JSON string reaches jsonb unchanged on both drivers, whatever the value's shape.
      seat_map: JSON.stringify(venue.seatMap),
    }));
    const performers: PerformerInsert[] = demo.performers.map((performer) => ({ ...performer }));
    return {
      venues: await insertIgnoringDuplicates(trx, TABLES.venues, venues, EVENT_CHUNK),
      performers: await insertIgnoringDuplicates(trx, TABLES.performers, performers, EVENT_CHUNK),
    };
  });
}

function eventRow(event: DemoEvent): EventInsert {
  return {
    id: event.id,
    name: event.name,
    description: event.description,
    type: event.type,
    venue_id: event.venueId,
    starts_at: event.startsAt,
    ends_at: event.endsAt,
    on_sale_at: event.onSaleAt,
    high_demand: event.highDemand,
    currency: event.currency,
  };
}

async function seedEventBatch(
  trx: Knex.Transaction,
  demo: DemoGenerator,
  batch: readonly DemoEvent[],
): Promise<Pick<SeedDemoResult, 'events' | 'tickets'>> {
  // An event row exists only together with all its tickets (one transaction per batch), so
  // events already present need no ticket work: this is what makes a re-run cheap.
  const ids = batch.map((event) => event.id);
  const present = new Set<string>(await trx(TABLES.events).whereIn('id', ids).pluck('id'));
  const fresh = batch.filter((event) => !present.has(event.id));
  if (fresh.length === 0) return { events: 0, tickets: 0 };

  const events = await insertIgnoringDuplicates(trx, TABLES.events, fresh.map(eventRow), EVENT_CHUNK);
  const links: EventPerformerInsert[] = fresh.flatMap((event) =>
    event.performerIds.map((performerId, order) => ({
      event_id: event.id,
      performer_id: performerId,
      billing_order: order,
    })),
  );
  await insertIgnoringDuplicates(trx, TABLES.eventPerformers, links, EVENT_CHUNK);

  let tickets = 0;
  let chunk = emptyTicketColumns();
  const flush = async () => {
    tickets += await insertTicketColumns(trx, chunk);
    chunk = emptyTicketColumns();
  };
  for (const event of fresh) {
    for (const ticket of demo.tickets(event)) {
      chunk.id.push(ticket.id);
      chunk.eventId.push(ticket.eventId);
      chunk.section.push(ticket.section);
      chunk.rowLabel.push(ticket.rowLabel);
      chunk.seatNumber.push(ticket.seatNumber);
      chunk.priceMinor.push(ticket.priceMinor);
      chunk.currency.push(ticket.currency);
      if (chunk.id.length >= TICKET_CHUNK) await flush();
    }
  }
  if (chunk.id.length > 0) await flush();
  return { events, tickets };
}

export async function seedDemoData(db: Knex, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const demo = createDemoGenerator(options);
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const result: SeedDemoResult = { ...(await seedCatalog(db, demo)), events: 0, tickets: 0 };

  for (let from = 0; from < demo.eventCount; from += batchSize) {
    const batch = [...demo.events(from, from + batchSize)];
    const written = await db.transaction((trx) => seedEventBatch(trx, demo, batch));
    result.events += written.events;
    result.tickets += written.tickets;
    options.onProgress?.(Math.min(from + batchSize, demo.eventCount), demo.eventCount);
  }
  return result;
}
