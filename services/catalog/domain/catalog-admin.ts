import type { Cache } from "../../shared/cache/cache.js";
import { DomainError, notFound } from "../../shared/errors/domain-error.js";
import type { HoldReader } from "../../shared/holds/ticket-holds.js";
import type { Event, EventDraft, Performer, PerformerDraft, TicketSeat, Venue, VenueDraft } from "./catalog-types.js";
import { eventCacheKey } from "./event-cache.js";
import { readHeldTickets } from "./held-tickets.js";
import { validateEvent, type EventFields } from "./event-rules.js";
import { sameLayout, seatsOf } from "./seat-map.js";
import { validatePerformer, validateVenue, type PerformerFields, type VenueFields } from "./venue-rules.js";

/** A ticket to insert; the store gives it its id. */
export type NewTicket = Omit<TicketSeat, "id">;

/** Generates an event's tickets from the venue as the store read it inside its transaction. */
export type TicketPlan = (venue: Venue) => Iterable<NewTicket>;

export interface EventChange {
  fields: EventFields;
  priceBySection: ReadonlyMap<string, number>;
  /** Whether the currency differs from the stored one: every unsold ticket is re-priced in it. */
  currencyChanged: boolean;
  /** Present when the venue changes: every ticket is replaced by these. */
  regenerate?: TicketPlan;
}

export type EventChangeOutcome = { kind: "updated"; event: Event } | { kind: "not_found" } | { kind: "sold" };
export type VenueChangeOutcome = { kind: "updated"; venue: Venue } | { kind: "not_found" } | { kind: "in_use" };

/** The catalog's writes. Each method is one transaction. */
export interface CatalogAdminStore {
  createVenue(fields: VenueFields): Promise<Venue>;
  /** With onlyIfUnused, refuses (in_use) when any event is held at the venue. */
  updateVenue(venueId: string, fields: VenueFields, options: { onlyIfUnused: boolean }): Promise<VenueChangeOutcome>;
  findVenue(venueId: string): Promise<Venue | undefined>;
  eventIdsAtVenue(venueId: string): Promise<string[]>;
  createPerformer(fields: PerformerFields): Promise<Performer>;
  updatePerformer(performerId: string, fields: PerformerFields): Promise<Performer | undefined>;
  existingPerformerIds(performerIds: readonly string[]): Promise<string[]>;
  eventIdsWithPerformer(performerId: string): Promise<string[]>;
  findEvent(eventId: string): Promise<Event | undefined>;
  ticketIds(eventId: string): Promise<string[]>;
  /** The event, its performers in billing order and every ticket of the plan. */
  createEvent(fields: EventFields, tickets: TicketPlan): Promise<{ event: Event; ticketsCreated: number }>;
  /**
   * Updates fields and performers, re-prices unsold tickets; answers sold, changing nothing,
   * when the change needs an event nothing was ever sold for (new venue or currency).
   */
  updateEvent(eventId: string, change: EventChange): Promise<EventChangeOutcome>;
}

export interface CatalogAdminDeps {
  store: CatalogAdminStore;
  holds: HoldReader;
  cache: Cache;
  now: () => Date;
}

// Deleting tens of thousands of keys (a venue with a long season) in one command would hold
// Redis up; chunks keep each command short.
const INVALIDATION_CHUNK = 1_000;

const conflict = (message: string, details?: Record<string, unknown>) => new DomainError("conflict", message, details);

/** One ticket per seat of the venue, at its section's price. */
export function ticketPlan(priceBySection: ReadonlyMap<string, number>, currency: string): TicketPlan {
  return function* (venue) {
    for (const { section, row, seat } of seatsOf(venue.seatMap)) {
      const priceMinor = priceBySection.get(section);
      // Only if the venue's layout changed between validation and this transaction.
      if (priceMinor === undefined) throw conflict(`venue "${venue.name}" changed meanwhile: section "${section}" has no price; try again`);
      yield { section, row, seat, priceMinor, currency };
    }
  };
}

/** Admin create/update of venues, performers and events; every change invalidates what it touched. */
export function createCatalogAdmin({ store, holds, cache, now }: CatalogAdminDeps) {
  async function invalidateEvents(eventIds: readonly string[]): Promise<void> {
    for (let i = 0; i < eventIds.length; i += INVALIDATION_CHUNK) {
      // The write has committed; a cache that cannot be reached now serves the old entry until its TTL.
      await cache.delete(...eventIds.slice(i, i + INVALIDATION_CHUNK).map(eventCacheKey)).catch(() => undefined);
    }
  }

  async function planEvent(draft: EventDraft, current: Event | undefined) {
    const [venue, known] = await Promise.all([store.findVenue(draft.venueId), store.existingPerformerIds(draft.performerIds)]);
    return validateEvent(draft, { venue, knownPerformerIds: new Set(known), now: now(), creating: current === undefined, currentPurchaseLimit: current?.purchaseLimit });
  }

  return {
    async createVenue(draft: VenueDraft): Promise<Venue> {
      return store.createVenue(validateVenue(draft));
    },

    async updateVenue(venueId: string, draft: VenueDraft): Promise<Venue> {
      const fields = validateVenue(draft);
      const current = await store.findVenue(venueId);
      if (!current) throw notFound(`venue ${venueId} does not exist`, { field: "venue_id" });
      // Events keep the tickets their venue's layout gave them; a new layout needs a new venue.
      const outcome = await store.updateVenue(venueId, fields, { onlyIfUnused: !sameLayout(current.seatMap, fields.seatMap) });
      if (outcome.kind === "not_found") throw notFound(`venue ${venueId} does not exist`, { field: "venue_id" });
      if (outcome.kind === "in_use") {
        throw conflict("the seat map of a venue with events cannot change: their tickets were generated from it; create a new venue for a new layout", {
          field: "venue.seat_map",
        });
      }
      await invalidateEvents(await store.eventIdsAtVenue(venueId));
      return outcome.venue;
    },

    async createPerformer(draft: PerformerDraft): Promise<Performer> {
      return store.createPerformer(validatePerformer(draft));
    },

    async updatePerformer(performerId: string, draft: PerformerDraft): Promise<Performer> {
      const performer = await store.updatePerformer(performerId, validatePerformer(draft));
      if (!performer) throw notFound(`performer ${performerId} does not exist`, { field: "performer_id" });
      await invalidateEvents(await store.eventIdsWithPerformer(performerId));
      return performer;
    },

    async createEvent(draft: EventDraft): Promise<{ event: Event; ticketsCreated: number }> {
      const plan = await planEvent(draft, undefined);
      return store.createEvent(plan.fields, ticketPlan(plan.priceBySection, plan.fields.currency));
    },

    async updateEvent(eventId: string, draft: EventDraft): Promise<Event> {
      const current = await store.findEvent(eventId);
      if (!current) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
      const plan = await planEvent(draft, current);
      const venueChanged = current.venueId !== plan.fields.venueId;
      if (venueChanged) {
        const { held, known } = await readHeldTickets(holds, await store.ticketIds(eventId));
        // Moving the event replaces its tickets; buyers in checkout would lose seats nobody can
        // see them holding. Unlike a read, this can wait until the lock nodes answer again.
        if (!known) {
          throw new DomainError("unavailable", "the lock store cannot say whether buyers hold tickets of this event; its venue can change once it answers again", {
            field: "event.venue_id",
          });
        }
        if (held.size > 0) throw conflict("tickets of this event are held by buyers right now; its venue cannot change", { field: "event.venue_id" });
      }
      const outcome = await store.updateEvent(eventId, {
        fields: plan.fields,
        priceBySection: plan.priceBySection,
        currencyChanged: current.currency !== plan.fields.currency,
        regenerate: venueChanged ? ticketPlan(plan.priceBySection, plan.fields.currency) : undefined,
      });
      if (outcome.kind === "not_found") throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
      if (outcome.kind === "sold") {
        throw conflict("tickets of this event have been sold: its venue and currency can no longer change", {
          field: venueChanged ? "event.venue_id" : "event.price_tiers",
        });
      }
      await invalidateEvents([eventId]);
      return outcome.event;
    },
  };
}

export type CatalogAdmin = ReturnType<typeof createCatalogAdmin>;
