import type { Knex } from 'knex';
import { TABLES, type EventPerformerInsert, type PerformerInsert } from '../../shared/db/tables.js';
import { eventRow, venueRow } from '../adapters/postgres/catalog-rows.js';
import { insertTicketRows, TICKET_CHUNK, TicketColumns } from '../adapters/postgres/ticket-rows.js';
import { createDemoGenerator, type DemoEvent, type DemoGenerator, type DemoOptions } from './demo-generator.js';

export interface SeedDemoOptions extends DemoOptions {
  events: number;
  // Events written per transaction: a crash loses at most one batch, and a re-run redoes it.
  batchSize?: number;
  // Batches in flight at once. With 2, Node generates the next batch while PostgreSQL writes
  // one, and PostgreSQL can use a second core; PGlite has one connection and gains nothing.
  concurrency?: number;
  // Called after each batch with the events done so far (in any batch order) and the total.
  onProgress?(done: number, total: number, written: Pick<SeedDemoResult, 'events' | 'tickets'>): void;
}

// Rows this run inserted; a repeated run with the same options reports zeros.
export interface SeedDemoResult {
  venues: number;
  performers: number;
  events: number;
  tickets: number;
}

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

async function seedCatalog(db: Knex, demo: DemoGenerator): Promise<Pick<SeedDemoResult, 'venues' | 'performers'>> {
  return db.transaction(async (trx) => {
    const performers: PerformerInsert[] = demo.performers.map((performer) => ({ ...performer }));
    return {
      venues: await insertIgnoringDuplicates(trx, TABLES.venues, demo.venues.map(venueRow), EVENT_CHUNK),
      performers: await insertIgnoringDuplicates(trx, TABLES.performers, performers, EVENT_CHUNK),
    };
  });
}

async function seedEventBatch(
  trx: Knex.Transaction,
  demo: DemoGenerator,
  batch: readonly DemoEvent[],
): Promise<Pick<SeedDemoResult, 'events' | 'tickets'>> {
  // Demo rows are rebuilt by re-running, so a crash may lose the last commits: no need to wait
  // for each one to reach the disk.
  await trx.raw('SET LOCAL synchronous_commit = off');
  // An event row exists only together with all its tickets (one transaction per batch), so
  // events already present need no ticket work: this is what makes a re-run cheap.
  const ids = batch.map((event) => event.id);
  const present = new Set<string>(await trx(TABLES.events).whereIn('id', ids).pluck('id'));
  const fresh = batch.filter((event) => !present.has(event.id));
  if (fresh.length === 0) return { events: 0, tickets: 0 };

  const events = await insertIgnoringDuplicates(trx, TABLES.events, fresh.map((event) => eventRow(event)), EVENT_CHUNK);
  const links: EventPerformerInsert[] = fresh.flatMap((event) =>
    event.performerIds.map((performerId, order) => ({
      event_id: event.id,
      performer_id: performerId,
      billing_order: order,
    })),
  );
  await insertIgnoringDuplicates(trx, TABLES.eventPerformers, links, EVENT_CHUNK);

  // Chunks cross event boundaries: a batch of small venues still makes few, large statements.
  let tickets = 0;
  let chunk = new TicketColumns();
  for (const event of fresh) {
    for (const ticket of demo.tickets(event)) {
      chunk.push(ticket);
      if (chunk.length >= TICKET_CHUNK) {
        tickets += await insertTicketRows(trx, chunk);
        chunk = new TicketColumns();
      }
    }
  }
  tickets += await insertTicketRows(trx, chunk);
  return { events, tickets };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

export async function seedDemoData(db: Knex, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const demo = createDemoGenerator(options);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? 100);
  const concurrency = positiveInteger('concurrency', options.concurrency ?? 1);
  const result: SeedDemoResult = { ...(await seedCatalog(db, demo)), events: 0, tickets: 0 };

  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (next < demo.eventCount && !failed) {
      const from = next;
      next = Math.min(from + batchSize, demo.eventCount);
      const batch = [...demo.events(from, next)];
      try {
        const written = await db.transaction((trx) => seedEventBatch(trx, demo, batch));
        result.events += written.events;
        result.tickets += written.tickets;
      } catch (error) {
        failed = true; // the other workers finish their batch and stop
        throw error;
      }
      done += batch.length;
      options.onProgress?.(done, demo.eventCount, { events: result.events, tickets: result.tickets });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}
