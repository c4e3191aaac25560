import { create } from "@bufbuild/protobuf";
import {
  EventLayoutSchema,
  GetEventAvailabilityResponseSchema,
  GetEventLayoutResponseSchema,
  WatchEventTicketsResponseSchema,
  type GetEventAvailabilityResponse,
  type GetEventLayoutResponse,
  type WatchEventTicketsResponse,
} from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { invalid } from "../shared/errors/domain-error.js";
import { money } from "../shared/proto-mapping/common-mapping.js";
import { eventMessage, performerMessage, ticketStatusToProto, venueMessage } from "./catalog-messages.js";
import type { CompactWatchUpdate } from "./domain/compact-watch.js";
import type { EventLayout } from "./domain/event-layout.js";
import type { EventAvailability } from "./domain/stadium-view.js";

// Proto ↔ domain for the stadium view: layout, availability bits, the compact watch.

// Built once per layout and section: a layout object lives as long as the catalog serves it
// (stadium-view.ts rebuilds it each second at most), and every view of it asks the same.
const built = new WeakMap<EventLayout, Map<string, GetEventLayoutResponse>>();

/** The layout, with one section's ticket ids when the caller names that section. */
export function layoutResponse(layout: EventLayout, section: string): GetEventLayoutResponse {
  let bySection = built.get(layout);
  if (!bySection) built.set(layout, (bySection = new Map()));
  let response = bySection.get(section);
  if (!response) bySection.set(section, (response = buildLayoutResponse(layout, section)));
  return response;
}

function buildLayoutResponse(layout: EventLayout, section: string): GetEventLayoutResponse {
  let sectionTicketIds: string[] = [];
  if (section !== "") {
    const found = layout.sections.find((candidate) => candidate.code === section);
    if (!found) throw invalid(`event ${layout.eventId} has no section "${section}"; its sections are ${layout.sections.map((s) => s.code).join(", ")}`, { field: "section" });
    sectionTicketIds = found.ticketIds;
  }
  return create(GetEventLayoutResponseSchema, {
    layout: create(EventLayoutSchema, {
      eventId: layout.eventId,
      version: layout.version,
      seatCount: layout.seatCount,
      prices: layout.prices.map((price) => money(price.priceMinor, price.currency)),
      sections: layout.sections.map(({ ticketIds: _ids, ...section }) => section),
      sectionTicketIds,
    }),
    event: eventMessage(layout.event),
    venue: venueMessage(layout.venue),
    performers: layout.performers.map(performerMessage),
  });
}

export function availabilityResponse(availability: EventAvailability): GetEventAvailabilityResponse {
  return create(GetEventAvailabilityResponseSchema, {
    eventId: availability.eventId,
    layoutVersion: availability.layoutVersion,
    version: availability.version,
    seats: availability.bits,
    sections: availability.sections,
    holdsUnknown: !availability.holdsKnown,
  });
}

export function compactWatchResponse(update: CompactWatchUpdate): WatchEventTicketsResponse {
  return create(WatchEventTicketsResponseSchema, {
    snapshot: update.snapshot,
    holdsUnknown: update.holdsUnknown,
    layoutVersion: update.layoutVersion,
    availability: update.bits,
    availabilityVersion: update.availabilityVersion,
    seatChanges: update.seatChanges.map(({ position, status }) => ({ position, status: ticketStatusToProto[status] })),
  });
}
