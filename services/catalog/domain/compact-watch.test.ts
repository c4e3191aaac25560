import { describe, expect, it } from "vitest";
import { CompactAvailability } from "./compact-watch.js";
import type { SeatPositions } from "./event-layout.js";
import type { WatchUpdate } from "./event-ticket-state.js";
import { availabilityVersion, encodeAvailability, seatState } from "./seat-availability.js";

const layoutOf = (version: string, ids: string[]): SeatPositions => ({
  version,
  seatCount: ids.length,
  sections: [{ code: "A", name: "A", generalAdmission: false, firstPosition: 0, seatCount: ids.length, rows: [], ticketIds: ids }],
  positionOf: new Map(ids.map((id, position) => [id, position])),
});

async function collect(updates: WatchUpdate[], layouts: SeatPositions[]) {
  const asked: boolean[] = [];
  const availability = new CompactAvailability(async (fresh) => {
    asked.push(fresh);
    return layouts[asked.length - 1]!;
  });
  const out = [];
  for (const update of updates) out.push(await availability.apply(update));
  return { out, asked, availability };
}

describe("the compact watch", () => {
  it("sends the bits and versions first, then only the seats that changed, each with the new version", async () => {
    const layout = layoutOf("L1", ["t0", "t1", "t2"]);
    const { out } = await collect(
      [
        { snapshot: true, changes: [{ ticketId: "t0", status: "available" }, { ticketId: "t1", status: "booked" }, { ticketId: "t2", status: "reserved" }], holdsUnknown: false },
        { snapshot: false, changes: [{ ticketId: "t2", status: "available" }, { ticketId: "t1", status: "booked" }], holdsUnknown: false },
      ],
      [layout],
    );
    expect(out[0]!.snapshot).toBe(true);
    expect(out[0]!.layoutVersion).toBe("L1");
    expect([0, 1, 2].map((position) => seatState(out[0]!.bits!, position))).toEqual(["available", "booked", "reserved"]);
    expect(out[0]!.availabilityVersion).toBe(availabilityVersion("L1", encodeAvailability(layout, ["t1"], ["t2"]), true));
    expect(out[1]!.snapshot).toBe(false);
    expect(out[1]!.bits).toBeUndefined();
    expect(out[1]!.seatChanges).toEqual([{ position: 2, status: "available" }]);
    expect(out[1]!.availabilityVersion).toBe(availabilityVersion("L1", encodeAvailability(layout, ["t1"], []), true));
  });

  it("asks for a fresh layout when a later snapshot says the tickets were regenerated", async () => {
    const { out, asked } = await collect(
      [
        { snapshot: true, changes: [{ ticketId: "t0", status: "available" }], holdsUnknown: false },
        { snapshot: true, changes: [{ ticketId: "n0", status: "reserved" }], holdsUnknown: false },
      ],
      [layoutOf("L1", ["t0"]), layoutOf("L2", ["n0"])],
    );
    expect(asked).toEqual([false, true]);
    expect(out[1]!.layoutVersion).toBe("L2");
    expect(seatState(out[1]!.bits!, 0)).toBe("reserved");
  });

  it("keeps the cached layout for a snapshot of the same tickets (a reader catching up), and its snapshot carries the bits now", async () => {
    const layout = layoutOf("L1", ["t0", "t1"]);
    const { out, asked, availability } = await collect(
      [
        { snapshot: true, changes: [{ ticketId: "t0", status: "available" }, { ticketId: "t1", status: "available" }], holdsUnknown: false },
        { snapshot: false, changes: [{ ticketId: "t1", status: "booked" }], holdsUnknown: false },
        { snapshot: true, changes: [{ ticketId: "t0", status: "reserved" }, { ticketId: "t1", status: "booked" }], holdsUnknown: false },
      ],
      [layout],
    );
    expect(asked).toEqual([false]);
    expect(seatState(out[2]!.bits!, 0)).toBe("reserved");
    const now = availability.snapshot();
    expect([now.snapshot, now.availabilityVersion, [0, 1].map((p) => seatState(now.bits!, p))]).toEqual([true, out[2]!.availabilityVersion, ["reserved", "booked"]]);
  });
});
