import { createHash } from "node:crypto";
import type { TicketStatus } from "./catalog-types.js";
import type { SeatPositions } from "./event-layout.js";

// Every seat's state in two bits, in layout order, four seats a byte, lowest bits first:
// 50,000 seats fit in 12.5 kB before compression, and runs of one state compress to almost
// nothing. Positions come from the event's layout (event-layout.ts).

const CODES: Record<TicketStatus, number> = { available: 0, reserved: 1, booked: 2 };
const STATES: readonly TicketStatus[] = ["available", "reserved", "booked"];

export const availabilityBytes = (seatCount: number) => Math.ceil(seatCount / 4);

export function seatState(bits: Uint8Array, position: number): TicketStatus {
  return STATES[(bits[position >> 2]! >> ((position & 3) * 2)) & 3] ?? "available";
}

export function setSeatState(bits: Uint8Array, position: number, status: TicketStatus): void {
  const shift = (position & 3) * 2;
  bits[position >> 2] = (bits[position >> 2]! & ~(3 << shift)) | (CODES[status] << shift);
}

/**
 * The bits of a layout's seats: booked from the database wins over a hold (a buyer who lost
 * the race), held is reserved, the rest available. Ids not in the layout are ignored (another
 * event's, or tickets regenerated since).
 */
export function encodeAvailability(layout: SeatPositions, booked: Iterable<string>, held: Iterable<string>): Uint8Array {
  const bits = new Uint8Array(availabilityBytes(layout.seatCount));
  for (const id of held) {
    const position = layout.positionOf.get(id);
    if (position !== undefined) setSeatState(bits, position, "reserved");
  }
  for (const id of booked) {
    const position = layout.positionOf.get(id);
    if (position !== undefined) setSeatState(bits, position, "booked");
  }
  return bits;
}

export interface SectionCounts {
  code: string;
  available: number;
  reserved: number;
  booked: number;
}

/** Counts per section, for the sections view, straight from the bits. */
export function sectionCounts(layout: SeatPositions, bits: Uint8Array): SectionCounts[] {
  return layout.sections.map((section) => {
    const counts: SectionCounts = { code: section.code, available: 0, reserved: 0, booked: 0 };
    for (let position = section.firstPosition; position < section.firstPosition + section.seatCount; position++) {
      counts[seatState(bits, position)] += 1;
    }
    return counts;
  });
}

/** A content hash: the same seats in the same states under the same layout give the same version. */
export function availabilityVersion(layoutVersion: string, bits: Uint8Array, holdsKnown: boolean): string {
  return createHash("sha256").update(`${layoutVersion}/${holdsKnown ? 1 : 0}/`).update(bits).digest("base64url").slice(0, 22);
}
