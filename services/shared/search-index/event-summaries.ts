import type { Knex } from "knex";
import { TABLES } from "../db/tables.js";

export interface TicketSummary {
  /** The cheapest ticket still for sale, in minor units; null when none is left. */
  lowest: number | null;
  available: boolean;
}

/** "From <price>" and "tickets left" per event, from the ticket rows (one grouped read). */
export async function ticketSummaries(db: Knex, eventIds: readonly string[]): Promise<Map<string, TicketSummary>> {
  const rows: Array<{ event_id: string; lowest: number | null; available: boolean }> = await db(TABLES.tickets)
    .whereIn("event_id", eventIds)
    .groupBy("event_id")
    .select(
      "event_id",
      db.raw("min(price_minor) filter (where status = 'available') as lowest"),
      db.raw("bool_or(status = 'available') as available"),
    );
  return new Map(rows.map((row) => [row.event_id, { lowest: row.lowest === null ? null : Number(row.lowest), available: row.available }]));
}

/** Performer names per event, headliner first. */
export async function performerNames(db: Knex, eventIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows: Array<{ event_id: string; name: string }> = await db({ ep: TABLES.eventPerformers })
    .join({ p: TABLES.performers }, "p.id", "ep.performer_id")
    .whereIn("ep.event_id", eventIds)
    .orderBy(["ep.event_id", "ep.billing_order", "p.name"])
    .select("ep.event_id", "p.name");
  const names = new Map<string, string[]>();
  for (const row of rows) names.set(row.event_id, [...(names.get(row.event_id) ?? []), row.name]);
  return names;
}
