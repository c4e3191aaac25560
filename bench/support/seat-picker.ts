/**
 * How a simulated buyer picks seats from what the seat map shows: the event's availability
 * (two bits a seat in layout order, four seats a byte, lowest bits first: 0 available,
 * 1 reserved, 2 booked) read against the layout's ticket ids. A buyer starts at a random free
 * seat and takes its free neighbours in layout order (a row's seats sit side by side), then any
 * other free seats, as people do when the block they wanted is gone.
 */
export const SEAT_AVAILABLE = 0;
export const SEAT_RESERVED = 1;
export const SEAT_BOOKED = 2;

export function seatState(bits: Uint8Array, position: number): number {
  return ((bits[position >> 2] ?? 0) >> ((position & 3) * 2)) & 3;
}

export interface SeatCounts {
  available: number[];
  reserved: number;
  booked: number;
}

/** The positions shown free, and how many are held or sold. */
export function readSeats(bits: Uint8Array, seatCount: number): SeatCounts {
  const available: number[] = [];
  let reserved = 0;
  let booked = 0;
  for (let position = 0; position < seatCount; position++) {
    const state = seatState(bits, position);
    if (state === SEAT_AVAILABLE) available.push(position);
    else if (state === SEAT_RESERVED) reserved += 1;
    else booked += 1;
  }
  return { available, reserved, booked };
}

/** Up to `want` free positions: a random one, its free neighbours, then others at random. */
export function pickSeats(available: readonly number[], want: number, random: () => number, avoid: ReadonlySet<number> = new Set()): number[] {
  const free = available.filter((position) => !avoid.has(position));
  if (free.length === 0 || want <= 0) return [];
  const isFree = new Set(free);
  const start = free[Math.floor(random() * free.length)]!;
  const chosen = [start];
  // A block of side-by-side free seats grown from the start, to the right first.
  for (let left = start, right = start; chosen.length < want; ) {
    if (isFree.has(right + 1)) chosen.push(++right);
    else if (isFree.has(left - 1)) chosen.push(--left);
    else break;
  }
  const taken = new Set(chosen);
  while (chosen.length < want && taken.size < free.length) {
    const other = free[Math.floor(random() * free.length)]!;
    if (taken.has(other)) continue;
    taken.add(other);
    chosen.push(other);
  }
  return chosen.sort((a, b) => a - b);
}
