import { describe, expect, it } from "vitest";
import { pickSeats, readSeats } from "../../bench/support/seat-picker.js";
import { seededRandom } from "../../bench/support/spike-buyers.js";

// How the spike bench's buyers read the availability bits and choose seats: pure, no servers.

/** Two bits a seat, four seats a byte, lowest bits first, as GetEventAvailability sends them. */
function bits(states: number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(states.length / 4));
  states.forEach((state, position) => (out[position >> 2]! |= state << ((position & 3) * 2)));
  return out;
}

describe("reading the seat map's availability", () => {
  it("finds the free seats and counts the held and sold ones", () => {
    expect(readSeats(bits([0, 1, 2, 0, 0, 2]), 6)).toEqual({ available: [0, 3, 4], reserved: 1, booked: 2 });
  });
});

describe("picking seats", () => {
  it("takes a block of free neighbours when there is one", () => {
    const free = [10, 11, 12, 13, 40];
    for (let seed = 1; seed < 30; seed++) {
      const picked = pickSeats(free, 3, seededRandom(seed));
      expect(picked).toHaveLength(3);
      if (picked.every((position) => position < 40)) expect(picked.at(-1)! - picked[0]!).toBe(2);
    }
  });

  it("takes what is left when fewer seats are free than wanted, and none of those to avoid", () => {
    expect(pickSeats([3, 9], 4, seededRandom(1))).toEqual([3, 9]);
    expect(pickSeats([3, 9], 4, seededRandom(1), new Set([9]))).toEqual([3]);
    expect(pickSeats([], 2, seededRandom(1))).toEqual([]);
  });
});
