import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";

// The catalog's availability bits (GetEventAvailabilityResponse.seats): two bits a seat in
// layout order, four seats a byte, lowest bits first; 0 available, 1 reserved, 2 booked.

const STATUSES = [TicketStatus.AVAILABLE, TicketStatus.RESERVED, TicketStatus.BOOKED];
const CODES = new Map<TicketStatus, number>([
  [TicketStatus.AVAILABLE, 0],
  [TicketStatus.RESERVED, 1],
  [TicketStatus.BOOKED, 2],
]);

export function seatStatus(bits: Uint8Array, position: number): TicketStatus {
  return STATUSES[((bits[position >> 2] ?? 0) >> ((position & 3) * 2)) & 3] ?? TicketStatus.AVAILABLE;
}

export function setSeatStatus(bits: Uint8Array, position: number, status: TicketStatus): void {
  const shift = (position & 3) * 2;
  bits[position >> 2] = ((bits[position >> 2] ?? 0) & ~(3 << shift)) | ((CODES.get(status) ?? 0) << shift);
}

/** Seats of [from, from + count) that are available. */
export function availableCount(bits: Uint8Array, from: number, count: number): number {
  let available = 0;
  for (let position = from; position < from + count; position++) if (seatStatus(bits, position) === TicketStatus.AVAILABLE) available++;
  return available;
}
