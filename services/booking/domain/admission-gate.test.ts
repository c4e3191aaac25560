import { describe, expect, it } from "vitest";
import type { SaleEvent } from "./booking-types.js";
import { createAdmissionGate } from "./admission-gate.js";

const event = (highDemand: boolean | undefined): SaleEvent => ({
  id: "e1",
  name: "Final",
  status: "scheduled",
  onSaleAt: null,
  startsAt: new Date("2030-01-01T20:00:00Z"),
  timeZone: "Europe/London",
  purchaseLimit: 8,
  sectionNames: {},
  highDemand,
});

describe("the admission gate of reserve and confirm", () => {
  it("asks nothing of an event that is not high-demand, whatever token comes", async () => {
    const asked: string[] = [];
    const gate = createAdmissionGate(async (token) => void asked.push(token));
    await gate("ann", event(false), undefined);
    await gate("ann", event(undefined), "anything");
    expect(asked).toEqual([]);
  });

  it("checks a high-demand event's token against the caller and the event, an absent token as empty", async () => {
    const asked: Array<[string, { userId: string; eventId: string }]> = [];
    const gate = createAdmissionGate(async (token, expected) => void asked.push([token, expected]));
    await gate("ann", event(true), undefined);
    await gate("ann", event(true), "t0k3n");
    expect(asked).toEqual([
      ["", { userId: "ann", eventId: "e1" }],
      ["t0k3n", { userId: "ann", eventId: "e1" }],
    ]);
  });

  it("refuses every buyer of a high-demand event as unavailable when booking has no keys to check with", async () => {
    await expect(createAdmissionGate()("ann", event(true), "t0k3n")).rejects.toMatchObject({ kind: "unavailable", details: { reason: "admission_unverifiable" } });
  });
});
