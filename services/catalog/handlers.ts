import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { CatalogService, GetEventResponseSchema, SectionSummarySchema } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import {
  EventSchema,
  EventStatus,
  PerformerSchema,
  SeatMapSchema,
  TicketSchema,
  TicketStatus,
  VenueSchema,
  type SeatMap,
} from "../../gen/boxoffice/common/v1/event_pb.js";
import { eventTypeToProto, money, timestamp } from "../shared/proto-mapping/common-mapping.js";
import type { EventReader } from "./domain/event-reader.js";
import type { Event, EventView, LiveTicket, Performer, SeatMap as DomainSeatMap, Venue } from "./domain/catalog-types.js";

export interface CatalogHandlerDeps {
  events: EventReader;
}

/** Proto ↔ domain for CatalogService; domain errors are mapped by the shared interceptor. */
export function catalogHandlers({ events }: CatalogHandlerDeps): Partial<ServiceImpl<typeof CatalogService>> {
  return {
    async getEvent(request) {
      return toGetEventResponse(await events.getEvent(request.eventId));
    },
  };
}

function toGetEventResponse(view: EventView) {
  return create(GetEventResponseSchema, {
    event: eventMessage(view.event),
    venue: venueMessage(view.venue),
    performers: view.performers.map(performerMessage),
    tickets: view.tickets.map((ticket) => ticketMessage(view.event.id, ticket)),
    sections: view.sections.map((summary) =>
      create(SectionSummarySchema, {
        section: summary.section,
        price: money(summary.priceMinor, summary.currency),
        available: summary.available,
        reserved: summary.reserved,
        booked: summary.booked,
      }),
    ),
  });
}

const ticketStatuses = {
  available: TicketStatus.AVAILABLE,
  reserved: TicketStatus.RESERVED,
  booked: TicketStatus.BOOKED,
} as const;

function eventMessage(event: Event) {
  return create(EventSchema, {
    id: event.id,
    name: event.name,
    description: event.description,
    type: eventTypeToProto(event.type),
    status: event.status === "cancelled" ? EventStatus.CANCELLED : EventStatus.SCHEDULED,
    venueId: event.venueId,
    startsAt: timestamp(event.startsAt),
    endsAt: timestamp(event.endsAt),
    onSaleAt: timestamp(event.onSaleAt),
    highDemand: event.highDemand,
    performerIds: event.performerIds,
    currency: event.currency,
  });
}

function venueMessage(venue: Venue) {
  return create(VenueSchema, {
    id: venue.id,
    name: venue.name,
    address: venue.address,
    city: venue.city,
    country: venue.country,
    location: { latitude: venue.latitude, longitude: venue.longitude },
    timezone: venue.timezone,
    capacity: venue.capacity,
    seatMap: seatMapMessage(venue.seatMap),
  });
}

function seatMapMessage(seatMap: DomainSeatMap): SeatMap {
  return create(SeatMapSchema, {
    sections: seatMap.sections.map((section) =>
      section.kind === "seated"
        ? { code: section.code, name: section.name, rows: section.rows }
        : { code: section.code, name: section.name, generalAdmissionCapacity: section.capacity },
    ),
  });
}

function performerMessage(performer: Performer) {
  return create(PerformerSchema, performer);
}

function ticketMessage(eventId: string, ticket: LiveTicket) {
  return create(TicketSchema, {
    id: ticket.id,
    eventId,
    section: ticket.section,
    row: ticket.row ?? "",
    seat: ticket.seat ?? 0,
    price: money(ticket.priceMinor, ticket.currency),
    status: ticketStatuses[ticket.status],
  });
}
