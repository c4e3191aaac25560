import type { SeatMap, SectionDraft, TicketSeat } from "./catalog-types.js";
import { isBlank, Violations } from "./violations.js";

/**
 * Creating an event writes one row per seat in a single transaction; past this size that
 * transaction would hold locks and memory for too long (the largest stadiums seat ~150,000).
 */
export const MAX_VENUE_CAPACITY = 200_000;

export function seatMapCapacity(seatMap: SeatMap): number {
  let total = 0;
  for (const section of seatMap.sections) {
    if (section.kind === "seated") {
      for (const row of section.rows) total += row.seats;
    } else {
      total += section.capacity;
    }
  }
  return total;
}

export interface Seat {
  section: string;
  /** Null for general admission. */
  row: string | null;
  /** 1..seats in a row; for general admission 1..capacity. */
  seat: number;
}

/** Every sellable place of a seat map, in layout order: one ticket each. */
export function* seatsOf(seatMap: SeatMap): Generator<Seat> {
  for (const section of seatMap.sections) {
    if (section.kind === "seated") {
      for (const row of section.rows) {
        for (let seat = 1; seat <= row.seats; seat++) yield { section: section.code, row: row.label, seat };
      }
    } else {
      for (let seat = 1; seat <= section.capacity; seat++) yield { section: section.code, row: null, seat };
    }
  }
}

/**
 * A seat map as an admin sends it → the layout tickets are generated from. A section is either
 * seated (rows of at least one seat) or general admission (a capacity), never both or neither;
 * codes are printed on tickets, so they must be unique regardless of case.
 */
export function validateSeatMap(sections: readonly SectionDraft[], field: string, violations: Violations): SeatMap {
  violations.check(sections.length > 0, `${field}.sections`, "a seat map needs at least one section");
  const codes = new Set<string>();
  const valid: SeatMap = { sections: [] };
  sections.forEach((draft, index) => {
    const at = `${field}.sections[${index}]`;
    const code = draft.code.trim();
    const name = draft.name.trim() || code;
    if (isBlank(code)) violations.add(`${at}.code`, "a section needs a code");
    else if (codes.has(code.toUpperCase())) violations.add(`${at}.code`, `section code "${code}" is used twice`);
    codes.add(code.toUpperCase());

    const seated = draft.rows.length > 0;
    const standing = draft.generalAdmissionCapacity > 0;
    if (seated && standing) {
      violations.add(at, `section "${code}" has both rows and a general-admission capacity; give one`);
    } else if (!seated && !standing) {
      violations.add(at, `section "${code}" has no seats: give it rows or a general-admission capacity`);
    } else if (seated) {
      const labels = new Set<string>();
      draft.rows.forEach((row, rowIndex) => {
        const label = row.label.trim();
        violations.check(!labels.has(label), `${at}.rows[${rowIndex}].label`, `row "${label}" appears twice in section "${code}"`);
        violations.check(Number.isInteger(row.seats) && row.seats > 0, `${at}.rows[${rowIndex}].seats`, "a row needs at least one seat");
        labels.add(label);
      });
      valid.sections.push({ code, name, kind: "seated", rows: draft.rows.map((row) => ({ label: row.label.trim(), seats: row.seats })) });
    } else {
      valid.sections.push({ code, name, kind: "general_admission", capacity: draft.generalAdmissionCapacity });
    }
  });
  const capacity = seatMapCapacity(valid);
  violations.check(
    capacity <= MAX_VENUE_CAPACITY,
    `${field}.sections`,
    `the seat map holds ${capacity} places; at most ${MAX_VENUE_CAPACITY} are supported`,
  );
  return valid;
}

/** Whether two layouts would generate the same tickets (names aside). */
export function sameLayout(a: SeatMap, b: SeatMap): boolean {
  const shape = (seatMap: SeatMap) =>
    JSON.stringify(
      seatMap.sections.map((s) => (s.kind === "seated" ? [s.code, s.rows.map((r) => [r.label, r.seats])] : [s.code, s.capacity])),
    );
  return shape(a) === shape(b);
}

/** Orders tickets as the venue lays them out: sections, then rows, in seat-map order, then seats. */
export function byLayout(seatMap: SeatMap): (a: TicketSeat, b: TicketSeat) => number {
  const sectionRank = new Map(seatMap.sections.map((section, index) => [section.code, index]));
  const rowRank = new Map<string, number>();
  for (const section of seatMap.sections) {
    if (section.kind === "seated") section.rows.forEach((row, index) => rowRank.set(`${section.code}\u0000${row.label}`, index));
  }
  const rank = (ticket: TicketSeat) => [
    sectionRank.get(ticket.section) ?? Number.MAX_SAFE_INTEGER,
    ticket.row === null ? -1 : (rowRank.get(`${ticket.section}\u0000${ticket.row}`) ?? Number.MAX_SAFE_INTEGER),
    ticket.seat ?? 0,
  ];
  const ranks = new Map<TicketSeat, number[]>();
  const rankOf = (ticket: TicketSeat) => {
    let found = ranks.get(ticket);
    if (!found) ranks.set(ticket, (found = rank(ticket)));
    return found;
  };
  return (a, b) => {
    const [ra, rb] = [rankOf(a), rankOf(b)];
    return ra[0]! - rb[0]! || ra[1]! - rb[1]! || ra[2]! - rb[2]!;
  };
}
