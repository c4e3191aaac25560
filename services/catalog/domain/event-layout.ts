import { createHash } from "node:crypto";
import type { Event, EventStatic, Performer, Venue } from "./catalog-types.js";

/** Consecutive seat numbers of one row at one price (an index into EventLayout.prices). */
export interface SeatRun {
  firstSeat: number;
  count: number;
  priceIndex: number;
}

export interface RowLayout {
  /** Empty for a general-admission area, whose places are numbered from 1. */
  label: string;
  runs: SeatRun[];
}

export interface SectionLayout {
  code: string;
  name: string;
  generalAdmission: boolean;
  /** Layout position of the section's first seat; its seats follow one another. */
  firstPosition: number;
  seatCount: number;
  rows: RowLayout[];
  /** Ticket ids of the section's seats, in layout order. */
  ticketIds: string[];
}

/**
 * An event's seats in layout order, compact (runs, prices by index) and versioned: the version
 * is a hash of everything a stadium page draws or reserves by (places, prices, ticket ids, and
 * the event, venue and performers shown beside them), so any change an admin makes gives a new
 * version, and a version names one immutable layout.
 */
export interface EventLayout {
  eventId: string;
  event: Event;
  venue: Venue;
  performers: Performer[];
  version: string;
  seatCount: number;
  prices: Array<{ priceMinor: number; currency: string }>;
  sections: SectionLayout[];
  /** Ticket id → layout position: where its state lives in the availability bits. */
  positionOf: ReadonlyMap<string, number>;
}

/** The layout of an event whose tickets are in layout order (see byLayout in seat-map.ts). */
export function buildEventLayout({ event, venue, performers, tickets }: EventStatic): EventLayout {
  const names = new Map(venue.seatMap.sections.map((section) => [section.code, section.name]));
  const prices: EventLayout["prices"] = [];
  const priceIndex = new Map<string, number>();
  const sections: SectionLayout[] = [];
  const positionOf = new Map<string, number>();
  let section: SectionLayout | undefined;
  let row: RowLayout | undefined;
  let run: SeatRun | undefined;
  tickets.forEach((ticket, position) => {
    positionOf.set(ticket.id, position);
    const priceKey = `${ticket.priceMinor} ${ticket.currency}`;
    let price = priceIndex.get(priceKey);
    if (price === undefined) {
      priceIndex.set(priceKey, (price = prices.length));
      prices.push({ priceMinor: ticket.priceMinor, currency: ticket.currency });
    }
    if (section?.code !== ticket.section) {
      section = { code: ticket.section, name: names.get(ticket.section) ?? ticket.section, generalAdmission: ticket.row === null, firstPosition: position, seatCount: 0, rows: [], ticketIds: [] };
      sections.push(section);
      row = undefined;
    }
    const label = ticket.row ?? "";
    if (row?.label !== label) {
      row = { label, runs: [] };
      section.rows.push(row);
      run = undefined;
    }
    const seat = ticket.seat ?? section.seatCount + 1;
    if (run && run.priceIndex === price && run.firstSeat + run.count === seat) run.count += 1;
    else row.runs.push((run = { firstSeat: seat, count: 1, priceIndex: price }));
    section.seatCount += 1;
    section.ticketIds.push(ticket.id);
  });
  const content = JSON.stringify([event, venue, performers, prices, sections]);
  const version = createHash("sha256").update(content).digest("base64url").slice(0, 22);
  return { eventId: event.id, event, venue, performers, version, seatCount: tickets.length, prices, sections, positionOf };
}

/** What the availability bits need of a layout: where each seat is. */
export type SeatPositions = Pick<EventLayout, "version" | "seatCount" | "sections" | "positionOf">;
