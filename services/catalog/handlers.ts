import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { requireRole } from "../shared/auth/caller.js";
import { DomainError } from "../shared/errors/domain-error.js";
import { toConnectError } from "../shared/errors/to-connect-error.js";
import {
  eventDraft,
  eventMessage,
  getEventResponse,
  listEventTicketsResponse,
  performerDraft,
  performerMessage,
  required,
  venueDraft,
  venueMessage,
} from "./catalog-messages.js";
import type { CatalogAdmin } from "./domain/catalog-admin.js";
import type { EventReader } from "./domain/event-reader.js";
import type { TicketWatches } from "./domain/ticket-watch.js";
import type { StadiumView } from "./domain/stadium-view.js";
import { availabilityResponse, layoutResponse } from "./stadium-messages.js";
import { compactResponse, watchResponse } from "./watch-messages.js";

export interface CatalogHandlerDeps {
  events: EventReader;
  watches: TicketWatches;
  admin: CatalogAdmin;
  stadium: StadiumView;
}

/** The role a token must carry for the catalog's create/update RPCs. */
export const ADMIN_ROLE = "admin";

/** Proto ↔ domain for CatalogService; domain errors are mapped by the shared interceptor. */
export function catalogHandlers({ events, watches, admin, stadium }: CatalogHandlerDeps): ServiceImpl<typeof CatalogService> {
  return {
    // The caller's signal: a view nobody waits for any more stops (its PostgreSQL read is cancelled
    // once every caller sharing it has left).
    async getEvent(request, context) {
      return getEventResponse(await events.getEvent(request.eventId, context.signal));
    },

    async listEventTickets(request, context) {
      return listEventTicketsResponse(await events.getEvent(request.eventId, context.signal));
    },

    async getEventLayout(request) {
      const layout = request.version === "" ? await stadium.layout(request.eventId) : await stadium.layoutVersion(request.eventId, request.version);
      return layoutResponse(layout, request.section);
    },

    async getEventAvailability(request) {
      return availabilityResponse(await stadium.availability(request.eventId));
    },

    async *watchEventTickets(request, context) {
      try {
        if (request.compact) {
          const layoutOf = (fresh: boolean) => stadium.layout(request.eventId, fresh);
          for await (const update of watches.watchCompact(request.eventId, context.signal, layoutOf)) yield compactResponse(update);
          return;
        }
        for await (const update of watches.watch(request.eventId, context.signal)) yield watchResponse(update);
      } catch (error) {
        throw streamError(error);
      }
    },

    async createVenue(request, context) {
      requireRole(context, ADMIN_ROLE);
      return { venue: venueMessage(await admin.createVenue(venueDraft(required(request.venue, "venue")))) };
    },

    async updateVenue(request, context) {
      requireRole(context, ADMIN_ROLE);
      return { venue: venueMessage(await admin.updateVenue(request.venueId, venueDraft(required(request.venue, "venue")))) };
    },

    async createPerformer(request, context) {
      requireRole(context, ADMIN_ROLE);
      return { performer: performerMessage(await admin.createPerformer(performerDraft(required(request.performer, "performer")))) };
    },

    async updatePerformer(request, context) {
      requireRole(context, ADMIN_ROLE);
      const draft = performerDraft(required(request.performer, "performer"));
      return { performer: performerMessage(await admin.updatePerformer(request.performerId, draft)) };
    },

    async createEvent(request, context) {
      requireRole(context, ADMIN_ROLE);
      const created = await admin.createEvent(eventDraft(required(request.event, "event")));
      return { event: eventMessage(created.event), ticketsCreated: created.ticketsCreated };
    },

    async updateEvent(request, context) {
      requireRole(context, ADMIN_ROLE);
      return { event: eventMessage(await admin.updateEvent(request.eventId, eventDraft(required(request.event, "event")))) };
    },
  };
}

/**
 * The shared interceptor maps what a handler throws, but a server stream fails while it is
 * being read, after the interceptor has returned: map those errors here, the same way.
 */
function streamError(error: unknown): unknown {
  if (error instanceof DomainError) return toConnectError(error);
  if (error instanceof ConnectError) return error;
  return new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}
