import type { Knex } from "knex";
import { eventRow, venueRow } from "../services/catalog/adapters/postgres/catalog-rows.js";
import { createDemoGenerator } from "../services/catalog/demo/demo-generator.js";
import { TABLES } from "../services/shared/db/tables.js";

/**
 * The demo catalogue (same generator as `npm start`: venues, performers, events and their
 * line-ups) with one ticket per price tier instead of one per seat: 100,000 events load in
 * about a minute instead of twenty (18.8 million seats). Search reads tickets only for a
 * result page's "from <price>" and "tickets left" (an indexed aggregate over 20 events), so
 * this understates that one read, on every path alike, and nothing else.
 */
export async function seedSearchBench(db: Knex, events: number, onProgress?: (done: number) => void): Promise<void> {
  const demo = createDemoGenerator({ events, seed: 7 });
  await db(TABLES.venues).insert(demo.venues.map(venueRow));
  await db(TABLES.performers).insert(demo.performers.map((performer) => ({ ...performer })));
  const batchSize = 1_000;
  for (let from = 0; from < events; from += batchSize) {
    const batch = [...demo.events(from, from + batchSize)];
    await db.transaction(async (trx) => {
      await trx(TABLES.events).insert(batch.map((event) => eventRow(event)));
      await trx(TABLES.eventPerformers).insert(
        batch.flatMap((event) => event.performerIds.map((performerId, order) => ({ event_id: event.id, performer_id: performerId, billing_order: order }))),
      );
      await trx(TABLES.tickets).insert(
        batch.flatMap((event) =>
          event.priceTiers.map((tier) => ({ event_id: event.id, section: tier.section, seat_number: 1, price_minor: tier.priceMinor, currency: event.currency })),
        ),
      );
    });
    onProgress?.(Math.min(from + batchSize, events));
  }
}
