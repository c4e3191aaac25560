import type { Knex } from "knex";
import { TABLES } from "../../../shared/db/tables.js";

/** Tickets as one array per column: what insertTicketRows sends. */
export class TicketColumns {
  readonly id: string[] = [];
  readonly eventId: string[] = [];
  readonly section: string[] = [];
  readonly rowLabel: Array<string | null> = [];
  readonly seatNumber: Array<number | null> = [];
  readonly priceMinor: number[] = [];
  readonly currency: string[] = [];

  get length(): number {
    return this.id.length;
  }

  push(ticket: {
    id: string;
    eventId: string;
    section: string;
    row: string | null;
    seat: number | null;
    priceMinor: number;
    currency: string;
  }): void {
    this.id.push(ticket.id);
    this.eventId.push(ticket.eventId);
    this.section.push(ticket.section);
    this.rowLabel.push(ticket.row);
    this.seatNumber.push(ticket.seat);
    this.priceMinor.push(ticket.priceMinor);
    this.currency.push(ticket.currency);
  }
}

/** Rows per statement: big enough that round trips vanish, small enough to keep memory flat. */
export const TICKET_CHUNK = 10_000;

/**
 * Tickets are nearly all of the catalog's rows. One array per column through unnest() sends 7
 * bind parameters a statement instead of 7 a row, halves the time on PGlite against a multi-row
 * VALUES list and has no 65,535-parameter ceiling. Returns the rows inserted; a ticket whose seat
 * or id exists already is skipped, which makes re-running a seed harmless.
 */
export async function insertTicketRows(db: Knex | Knex.Transaction, columns: TicketColumns): Promise<number> {
  if (columns.length === 0) return 0;
  const result = await db.raw(
    `INSERT INTO ${TABLES.tickets} (id, event_id, section, row_label, seat_number, price_minor, currency)
     SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[])
     ON CONFLICT DO NOTHING`,
    [
      columns.id,
      columns.eventId,
      columns.section,
      // Both drivers send null entries as NULL elements; knex's RawBinding type omits such arrays.
      columns.rowLabel as unknown as Knex.RawBinding,
      columns.seatNumber as unknown as Knex.RawBinding,
      columns.priceMinor,
      columns.currency,
    ],
  );
  return (result as { rowCount?: number | null }).rowCount ?? 0;
}

/** Streams tickets into the table in chunks; the source may be a lazy generator of millions. */
export async function insertTicketStream(
  db: Knex | Knex.Transaction,
  tickets: Iterable<Parameters<TicketColumns["push"]>[0]>,
): Promise<number> {
  let inserted = 0;
  let chunk = new TicketColumns();
  for (const ticket of tickets) {
    chunk.push(ticket);
    if (chunk.length >= TICKET_CHUNK) {
      inserted += await insertTicketRows(db, chunk);
      chunk = new TicketColumns();
    }
  }
  return inserted + (await insertTicketRows(db, chunk));
}
