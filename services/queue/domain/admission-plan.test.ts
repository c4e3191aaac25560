import { describe, expect, it } from "vitest";
import { BURST_SECONDS, planAdmission } from "./admission-plan.js";
import type { QueueRecord } from "./queue-types.js";

const queue = (over: Partial<QueueRecord> = {}): QueueRecord => ({
  eventId: "e1",
  ratePerMinute: 60,
  onSaleAtMs: null,
  paused: false,
  soldOut: false,
  bucket: { tokens: 0, refilledAtMs: 0 },
  ...over,
});
const plenty = { unsold: 1_000, held: 0 };

/** Steps a queue every `everyMs` for `forMs` on a simulated clock, as the worker would; answers how many were admitted. */
function admittedOver(record: QueueRecord, forMs: number, everyMs: number, waiting = 10_000, inventory = plenty): number {
  let admitted = 0;
  let current = record;
  for (let now = everyMs; now <= forMs; now += everyMs) {
    const plan = planAdmission(current, waiting - admitted, inventory, now, admitted);
    admitted += plan.admit;
    current = { ...current, bucket: plan.bucket, soldOut: plan.soldOut };
  }
  return admitted;
}

describe("admission at the configured rate", () => {
  it("admits 60 a minute at 60 a minute, whether stepped every 250 ms or every second", () => {
    expect(admittedOver(queue(), 60_000, 1_000)).toBe(60);
    expect(admittedOver(queue(), 60_000, 250)).toBe(60);
  });

  it("admits 600 a minute at 600 a minute", () => {
    expect(admittedOver(queue({ ratePerMinute: 600 }), 60_000, 1_000)).toBe(600);
  });

  it("owes at most a few seconds' worth after a lull, so a late step does not release a flood", () => {
    const plan = planAdmission(queue({ ratePerMinute: 60 }), 1_000, plenty, 600_000);
    expect(plan.admit).toBe(BURST_SECONDS);
  });

  it("never admits more than are waiting", () => {
    expect(admittedOver(queue({ ratePerMinute: 600 }), 60_000, 1_000, 7)).toBe(7);
  });
});

describe("admission and the inventory", () => {
  it("admits nobody and says sold out once no ticket is unsold", () => {
    const plan = planAdmission(queue({ bucket: { tokens: 5, refilledAtMs: 0 } }), 100, { unsold: 0, held: 0 }, 10_000);
    expect(plan).toMatchObject({ admit: 0, soldOut: true });
  });

  it("waits while every unsold ticket is held, and admits as holds free up", () => {
    expect(admittedOver(queue(), 10_000, 1_000, 100, { unsold: 4, held: 4 })).toBe(0);
    expect(planAdmission(queue(), 100, { unsold: 4, held: 4 }, 1_000).soldOut).toBe(false);
    expect(admittedOver(queue({ ratePerMinute: 600 }), 1_000, 1_000, 100, { unsold: 4, held: 1 })).toBe(3);
  });

  it("counts buyers admitted in the last minute as about to hold a ticket each", () => {
    expect(admittedOver(queue({ ratePerMinute: 600 }), 30_000, 1_000, 100, { unsold: 4, held: 0 })).toBe(4);
    expect(planAdmission(queue({ ratePerMinute: 600 }), 100, { unsold: 4, held: 0 }, 1_000, 4).admit).toBe(0);
  });
});

describe("when nothing is admitted", () => {
  it("admits nobody before the on-sale, nor while paused, and owes nothing for that time", () => {
    expect(admittedOver(queue({ onSaleAtMs: 30_000 }), 29_000, 1_000)).toBe(0);
    expect(admittedOver(queue({ paused: true }), 60_000, 1_000)).toBe(0);
    const resumed = planAdmission(queue({ paused: true }), 100, plenty, 60_000);
    expect(planAdmission(queue({ bucket: resumed.bucket }), 100, plenty, 60_000).admit).toBe(0);
  });
});
