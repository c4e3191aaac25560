import { describe, expect, it } from "vitest";
import type { TicketInventory } from "../../domain/booking-ports.js";
import type { SaleEvent } from "../../domain/booking-types.js";
import { withRecentSaleEvents } from "./recent-sale-events.js";

function world(event: SaleEvent) {
  let now = 1_000_000;
  let reads = 0;
  const stored = { event };
  const inventory = {
    findEvent: async () => {
      reads += 1;
      return { ...stored.event };
    },
  } as unknown as TicketInventory;
  const remembered = withRecentSaleEvents(inventory, 1_000, () => now);
  return { remembered, stored, reads: () => reads, advance: (ms: number) => (now += ms), now: () => now };
}

const onSale = (now: number): SaleEvent => ({
  id: "e1",
  name: "Late Laughs",
  status: "scheduled",
  onSaleAt: new Date(now - 60_000),
  startsAt: new Date(now + 3_600_000),
  timeZone: "Europe/London",
  purchaseLimit: 8,
  sectionNames: {},
});

describe("reserve's memory of an event's sale facts", () => {
  it("answers repeated asks from memory for the memory's length, then reads again", async () => {
    const w = world(onSale(1_000_000));
    await w.remembered.findEvent("e1");
    w.stored.event = { ...w.stored.event, status: "cancelled" };
    w.advance(1_000);
    expect((await w.remembered.findEvent("e1"))?.status).toBe("scheduled");
    w.advance(1);
    expect((await w.remembered.findEvent("e1"))?.status).toBe("cancelled");
    expect(w.reads()).toBe(2);
  });

  it("never remembers past the moment sales open: the first request after it reads the database", async () => {
    const w = world({ ...onSale(1_000_000), onSaleAt: new Date(1_000_000 + 300) });
    await w.remembered.findEvent("e1");
    w.advance(299);
    await w.remembered.findEvent("e1");
    expect(w.reads()).toBe(1);
    w.advance(1);
    await w.remembered.findEvent("e1");
    expect(w.reads()).toBe(2);
  });

  it("remembers nothing when its memory is 0", async () => {
    let reads = 0;
    const inventory = { findEvent: async () => (reads += 1, undefined) } as unknown as TicketInventory;
    const plain = withRecentSaleEvents(inventory, 0);
    await plain.findEvent("e1");
    await plain.findEvent("e1");
    expect(reads).toBe(2);
  });
});
