import { describe, expect, it } from "vitest";
import type { SeatPositions } from "./event-layout.js";
import { availabilityBytes, availabilityVersion, encodeAvailability, sectionCounts, seatState, setSeatState } from "./seat-availability.js";

/** Two sections of three and two seats; positions follow ticket ids s0..s4. */
const layout: SeatPositions = {
  version: "layout-1",
  seatCount: 5,
  sections: [
    { code: "A", name: "A", generalAdmission: false, firstPosition: 0, seatCount: 3, rows: [], ticketIds: ["s0", "s1", "s2"] },
    { code: "B", name: "B", generalAdmission: false, firstPosition: 3, seatCount: 2, rows: [], ticketIds: ["s3", "s4"] },
  ],
  positionOf: new Map(["s0", "s1", "s2", "s3", "s4"].map((id, position) => [id, position])),
};

describe("seat availability bits", () => {
  it("store two bits per seat, four seats a byte, lowest bits first", () => {
    const bits = new Uint8Array(availabilityBytes(5));
    expect(bits.length).toBe(2);
    setSeatState(bits, 1, "reserved");
    setSeatState(bits, 2, "booked");
    setSeatState(bits, 4, "booked");
    expect([...bits]).toEqual([0b10_01_00, 0b10]);
    expect([0, 1, 2, 3, 4].map((position) => seatState(bits, position))).toEqual(["available", "reserved", "booked", "available", "booked"]);
    setSeatState(bits, 2, "available");
    expect(seatState(bits, 2)).toBe("available");
  });

  it("show booked over a hold on the same seat, and ignore ids outside the layout", () => {
    const bits = encodeAvailability(layout, ["s1", "other-event"], ["s1", "s3", "gone"]);
    expect([0, 1, 2, 3, 4].map((position) => seatState(bits, position))).toEqual(["available", "booked", "available", "reserved", "available"]);
  });

  it("count each section's seats by state", () => {
    const bits = encodeAvailability(layout, ["s0"], ["s1", "s4"]);
    expect(sectionCounts(layout, bits)).toEqual([
      { code: "A", available: 1, reserved: 1, booked: 1 },
      { code: "B", available: 1, reserved: 1, booked: 0 },
    ]);
  });

  it("get a new version when a seat changes state or holds become unknown, the same one for the same state", () => {
    const before = encodeAvailability(layout, [], ["s2"]);
    const same = encodeAvailability(layout, [], ["s2"]);
    const after = encodeAvailability(layout, ["s2"], []);
    expect(availabilityVersion("layout-1", same, true)).toBe(availabilityVersion("layout-1", before, true));
    expect(availabilityVersion("layout-1", after, true)).not.toBe(availabilityVersion("layout-1", before, true));
    expect(availabilityVersion("layout-1", before, false)).not.toBe(availabilityVersion("layout-1", before, true));
  });

  it("fit a 50,000-seat event in 12,500 bytes", () => {
    expect(availabilityBytes(50_000)).toBe(12_500);
  });
});
