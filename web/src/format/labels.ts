import { EventType } from "../../../gen/boxoffice/common/v1/event_pb.js";

/** Each event type with its name in URLs (as the REST API spells it) and on screen. */
export const EVENT_TYPES: ReadonlyArray<{ type: EventType; slug: string; label: string }> = [
  { type: EventType.CONCERT, slug: "concert", label: "Concert" },
  { type: EventType.SPORTS, slug: "sports", label: "Sports" },
  { type: EventType.THEATER, slug: "theater", label: "Theatre" },
  { type: EventType.COMEDY, slug: "comedy", label: "Comedy" },
  { type: EventType.FESTIVAL, slug: "festival", label: "Festival" },
  { type: EventType.FAMILY, slug: "family", label: "Family" },
  { type: EventType.CONFERENCE, slug: "conference", label: "Conference" },
];

export function eventTypeLabel(type: EventType): string {
  return EVENT_TYPES.find((entry) => entry.type === type)?.label ?? "Event";
}

export function eventTypeOfSlug(slug: string): EventType {
  return EVENT_TYPES.find((entry) => entry.slug === slug)?.type ?? EventType.UNSPECIFIED;
}

/** How a ticket is named to a person: "Stalls, row C, seat 12" or "Floor, general admission". */
export function seatLabel(ticket: { section: string; row: string; seat: number }, sectionName?: string): string {
  const section = sectionName || ticket.section;
  return ticket.row ? `${section}, row ${ticket.row}, seat ${ticket.seat}` : `${section}, general admission`;
}
