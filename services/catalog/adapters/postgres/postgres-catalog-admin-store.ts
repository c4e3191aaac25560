import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { TABLES, type EventRow, type PerformerRow, type VenueRow } from "../../../shared/db/tables.js";
import type { CatalogAdminStore, NewTicket, TicketPlan } from "../../domain/catalog-admin.js";
import { eventRow, venueRow } from "./catalog-rows.js";
import { isUuid, performersOf, toEvent, toPerformer, toVenue } from "./postgres-event-store.js";
import { insertTicketStream } from "./ticket-rows.js";

// Thrown inside a transaction to roll it back; turned into an outcome outside.
const SOLD = Symbol("sold");
const FOREIGN_KEY_VIOLATION = "23503";

async function linkPerformers(trx: Knex.Transaction, eventId: string, performerIds: readonly string[]): Promise<void> {
  if (performerIds.length === 0) return;
  await trx(TABLES.eventPerformers).insert(
    performerIds.map((performerId, order) => ({ event_id: eventId, performer_id: performerId, billing_order: order })),
  );
}

/** Reads the venue with a share lock: its layout cannot change until the tickets are written. */
async function lockedVenue(trx: Knex.Transaction, venueId: string) {
  const row = await trx<VenueRow>(TABLES.venues).where({ id: venueId }).forShare().first();
  if (!row) throw new Error(`venue ${venueId} vanished during the transaction`);
  return toVenue(row);
}

function* withIds(eventId: string, tickets: Iterable<NewTicket>) {
  for (const ticket of tickets) yield { ...ticket, id: randomUUID(), eventId };
}

async function writeTickets(trx: Knex.Transaction, eventId: string, venueId: string, plan: TicketPlan): Promise<number> {
  return insertTicketStream(trx, withIds(eventId, plan(await lockedVenue(trx, venueId))));
}

/** The catalog's writes on PostgreSQL (or PGlite). */
export function createPostgresCatalogAdminStore(db: Knex): CatalogAdminStore {
  return {
    async createVenue(fields) {
      const [row] = await db(TABLES.venues).insert(venueRow(fields)).returning<VenueRow[]>("*");
      return toVenue(row!);
    },

    async updateVenue(venueId, fields, { onlyIfUnused }) {
      if (!isUuid(venueId)) return { kind: "not_found" };
      return db.transaction(async (trx) => {
        // Lock first: an event being created here (which share-locks the venue) finishes before we look.
        const locked = await trx(TABLES.venues).where({ id: venueId }).forUpdate().first("id");
        if (!locked) return { kind: "not_found" } as const;
        if (onlyIfUnused && (await trx(TABLES.events).where({ venue_id: venueId }).first("id"))) return { kind: "in_use" } as const;
        const [row] = await trx(TABLES.venues).where({ id: venueId }).update(venueRow(fields)).returning<VenueRow[]>("*");
        return { kind: "updated", venue: toVenue(row!) } as const;
      });
    },

    async findVenue(venueId) {
      if (!isUuid(venueId)) return undefined;
      const row = await db<VenueRow>(TABLES.venues).where({ id: venueId }).first();
      return row && toVenue(row);
    },

    async eventIdsAtVenue(venueId) {
      return db<EventRow>(TABLES.events).where({ venue_id: venueId }).pluck("id");
    },

    async createPerformer(fields) {
      const [row] = await db<PerformerRow>(TABLES.performers).insert(fields).returning("*");
      return toPerformer(row!);
    },

    async updatePerformer(performerId, fields) {
      if (!isUuid(performerId)) return undefined;
      const [row] = await db<PerformerRow>(TABLES.performers).where({ id: performerId }).update(fields).returning("*");
      return row && toPerformer(row);
    },

    async existingPerformerIds(performerIds) {
      const ids = performerIds.filter(isUuid);
      if (ids.length === 0) return [];
      return db<PerformerRow>(TABLES.performers).whereIn("id", ids).pluck("id");
    },

    async eventIdsWithPerformer(performerId) {
      return db(TABLES.eventPerformers).where({ performer_id: performerId }).pluck("event_id");
    },

    async findEvent(eventId) {
      if (!isUuid(eventId)) return undefined;
      const row = await db<EventRow>(TABLES.events).where({ id: eventId }).first();
      return row && toEvent(row, (await performersOf(db, eventId)).map((p) => p.id));
    },

    async ticketIds(eventId) {
      return db(TABLES.tickets).where({ event_id: eventId }).pluck("id");
    },

    async createEvent(fields, plan) {
      return db.transaction(async (trx) => {
        const [row] = await trx<EventRow>(TABLES.events).insert(eventRow(fields)).returning("*");
        const event = row!;
        await linkPerformers(trx, event.id, fields.performerIds);
        const ticketsCreated = await writeTickets(trx, event.id, fields.venueId, plan);
        return { event: toEvent(event, fields.performerIds), ticketsCreated };
      });
    },

    async updateEvent(eventId, change) {
      if (!isUuid(eventId)) return { kind: "not_found" };
      try {
        return await db.transaction(async (trx) => {
          const current = await trx<EventRow>(TABLES.events).where({ id: eventId }).forUpdate().first("id");
          if (!current) return { kind: "not_found" } as const;
          if (change.regenerate || change.currencyChanged) {
            const sold =
              (await trx(TABLES.bookings).where({ event_id: eventId }).first("id")) ??
              (await trx(TABLES.tickets).where({ event_id: eventId, status: "booked" }).first("id"));
            if (sold) throw SOLD;
          }
          const [row] = await trx<EventRow>(TABLES.events).where({ id: eventId }).update(eventRow(change.fields)).returning("*");
          await trx(TABLES.eventPerformers).where({ event_id: eventId }).delete();
          await linkPerformers(trx, eventId, change.fields.performerIds);
          if (change.regenerate) {
            await trx(TABLES.tickets)
              .where({ event_id: eventId })
              .delete()
              .catch((error: { code?: string }) => {
                // A booking that committed after the check above still holds its tickets
                // through booking_items' foreign key: the delete fails and nothing changes.
                throw error.code === FOREIGN_KEY_VIOLATION ? SOLD : error;
              });
            await writeTickets(trx, eventId, change.fields.venueId, change.regenerate);
          } else {
            // Sold tickets keep the price they were sold at.
            await trx.raw(
              `UPDATE ${TABLES.tickets} t SET price_minor = p.price, currency = ?
               FROM unnest(?::text[], ?::int[]) AS p(section, price)
               WHERE t.event_id = ? AND t.section = p.section AND t.status = 'available'
                 AND (t.price_minor <> p.price OR t.currency <> ?)`,
              [change.fields.currency, [...change.priceBySection.keys()], [...change.priceBySection.values()], eventId, change.fields.currency],
            );
          }
          return { kind: "updated", event: toEvent(row!, change.fields.performerIds) } as const;
        });
      } catch (error) {
        if (error === SOLD) return { kind: "sold" };
        throw error;
      }
    },
  };
}
