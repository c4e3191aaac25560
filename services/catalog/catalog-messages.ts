import { create } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import {
  GetEventResponseSchema,
  ListEventTicketsResponseSchema,
  SectionSummarySchema,
  type EventInput,
  type PerformerInput,
  type TicketStatusChange,
  type VenueInput,
} from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import {
  EventSchema,
  EventStatus,
  PerformerSchema,
  SeatMapSchema,
  TicketStatus,
  VenueSchema,
  type SeatMap,
  type Ticket,
} from "../../gen/boxoffice/common/v1/event_pb.js";
import type { Money } from "../../gen/boxoffice/common/v1/money_pb.js";
import { invalid } from "../shared/errors/domain-error.js";
import { DEFAULT_PURCHASE_LIMIT } from "./domain/event-rules.js";
import { eventTypeFromProto, eventTypeToProto, money, timestamp } from "../shared/proto-mapping/common-mapping.js";
import type {
  Event,
  EventDraft,
  EventView,
  LiveTicket,
  Performer,
  PerformerDraft,
  SeatMap as DomainSeatMap,
  TicketStatus as DomainTicketStatus,
  TicketStatusUpdate,
  Venue,
  VenueDraft,
} from "./domain/catalog-types.js";

// Proto ↔ domain for the catalog: the only place that knows both.

export const ticketStatusToProto: Record<DomainTicketStatus, TicketStatus> = {
  available: TicketStatus.AVAILABLE,
  reserved: TicketStatus.RESERVED,
  booked: TicketStatus.BOOKED,
};

/** The protovalidate interceptor enforces `required`; this keeps handlers honest without it. */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw invalid(`${field} is required`, { field });
  return value;
}

/** The event's tickets as messages. A stadium has 50,000 tickets but a few dozen prices: they share one Money message each. */
function ticketMessages(view: EventView) {
  const prices = new Map<string, Money>();
  const priceOf = (ticket: LiveTicket) => {
    const key = `${ticket.priceMinor}/${ticket.currency}`;
    let price = prices.get(key);
    if (!price) prices.set(key, (price = money(ticket.priceMinor, ticket.currency)));
    return price;
  };
  return view.tickets.map((ticket) => ticketMessage(view.event.id, ticket, priceOf(ticket)));
}

export function listEventTicketsResponse(view: EventView) {
  return create(ListEventTicketsResponseSchema, { tickets: ticketMessages(view), holdsUnknown: !view.holdsKnown });
}

export function getEventResponse(view: EventView) {
  return create(GetEventResponseSchema, {
    event: eventMessage(view.event),
    venue: venueMessage(view.venue),
    performers: view.performers.map(performerMessage),
    tickets: ticketMessages(view),
    sections: view.sections.map((summary) =>
      create(SectionSummarySchema, {
        section: summary.section,
        price: money(summary.priceMinor, summary.currency),
        available: summary.available,
        reserved: summary.reserved,
        booked: summary.booked,
      }),
    ),
    holdsUnknown: !view.holdsKnown,
  });
}

export function eventMessage(event: Event) {
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
    // An event cached before migration 015 has none: the column's default.
    purchaseLimit: event.purchaseLimit ?? DEFAULT_PURCHASE_LIMIT,
    performerIds: event.performerIds,
    currency: event.currency,
  });
}

export function venueMessage(venue: Venue) {
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

export function performerMessage(performer: Performer) {
  return create(PerformerSchema, performer);
}

/**
 * Built as a literal rather than through create(): the type checker still demands every field
 * and the type name, and for 50,000 tickets this saves a third of the response's build time.
 */
function ticketMessage(eventId: string, ticket: LiveTicket, price: Money): Ticket {
  return {
    $typeName: "boxoffice.common.v1.Ticket",
    id: ticket.id,
    eventId,
    section: ticket.section,
    row: ticket.row ?? "",
    seat: ticket.seat ?? 0,
    price,
    status: ticketStatusToProto[ticket.status],
  };
}

/** A literal for the same reason as tickets: a stadium's snapshot has 50,000 of them. */
export function ticketStatusChange({ ticketId, status }: TicketStatusUpdate): TicketStatusChange {
  return { $typeName: "boxoffice.catalog.v1.TicketStatusChange", ticketId, status: ticketStatusToProto[status] };
}

export function venueDraft(input: VenueInput): VenueDraft {
  const location = required(input.location, "venue.location");
  return {
    name: input.name,
    address: input.address,
    city: input.city,
    country: input.country,
    latitude: location.latitude,
    longitude: location.longitude,
    timezone: input.timezone,
    seatMap: {
      sections: required(input.seatMap, "venue.seat_map").sections.map((section) => ({
        code: section.code,
        name: section.name,
        rows: section.rows.map((row) => ({ label: row.label, seats: row.seats })),
        generalAdmissionCapacity: section.generalAdmissionCapacity,
      })),
    },
  };
}

export function performerDraft(input: PerformerInput): PerformerDraft {
  return { name: input.name, genre: input.genre, description: input.description };
}

const date = (value: Timestamp | undefined, field: string) => timestampDate(required(value, field));

export function eventDraft(input: EventInput): EventDraft {
  const type = eventTypeFromProto(input.type);
  if (!type) throw invalid("event.type must be a known event type", { field: "event.type" });
  return {
    name: input.name,
    description: input.description,
    type,
    venueId: input.venueId,
    startsAt: date(input.startsAt, "event.starts_at"),
    endsAt: date(input.endsAt, "event.ends_at"),
    onSaleAt: input.onSaleAt ? timestampDate(input.onSaleAt) : null,
    highDemand: input.highDemand,
    purchaseLimit: input.purchaseLimit,
    performerIds: input.performerIds,
    priceTiers: input.priceTiers.map((tier, index) => {
      const price = required(tier.price, `event.price_tiers[${index}].price`);
      // Beyond 2^53 the number is no longer exact, but it is far past the largest valid price either way.
      return { section: tier.section, priceMinor: Number(price.amountMinor), currency: price.currency };
    }),
  };
}
