import type { Knex } from "knex";
import type { HoldReader } from "../../../shared/holds/ticket-holds.js";
import { TABLES, type EventRow } from "../../../shared/db/tables.js";
import type { EventFacts } from "../../domain/queue-ports.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The event from PostgreSQL (who owns a ticket) and its live holds from the lock nodes' per-event
 * index (one read per node). Lock nodes that cannot answer count as no holds: booking then sells
 * directly from the database, so every unsold ticket is indeed to be had.
 */
export function createPostgresEventFacts(db: Knex, holds: HoldReader): EventFacts {
  return {
    async find(eventId) {
      if (!UUID.test(eventId)) return undefined;
      const row = await db<EventRow>(TABLES.events).where({ id: eventId }).first("id", "on_sale_at", "high_demand");
      return row && { id: row.id, onSaleAt: row.on_sale_at && new Date(row.on_sale_at), highDemand: row.high_demand };
    },

    async inventory(eventId) {
      const [counted, held] = await Promise.all([
        db(TABLES.tickets).where({ event_id: eventId, status: "available" }).count<{ count: string | number }[]>({ count: "*" }),
        holds.eventHolds(eventId).then(
          (live) => live.size,
          () => 0,
        ),
      ]);
      const unsold = Number(counted[0]?.count ?? 0);
      // A hold outlives its ticket's sale by a moment (released after the commit): never more held than unsold.
      return { unsold, held: Math.min(held, unsold) };
    },
  };
}
