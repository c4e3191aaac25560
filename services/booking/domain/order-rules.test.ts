import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import type { InventoryTicket } from "./booking-types.js";
import { checkOrder } from "./order-rules.js";

const ticket = (id: string, changes: Partial<InventoryTicket> = {}): InventoryTicket => ({
  id,
  eventId: "e1",
  section: "A",
  row: "1",
  seat: 1,
  priceMinor: 5_000,
  currency: "GBP",
  booked: false,
  ...changes,
});

/** The DomainError a check throws, for asserting its kind and details. */
function refusal(check: () => unknown): DomainError {
  try {
    check();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("the order was accepted");
}

describe("order rules", () => {
  const found = [ticket("t1"), ticket("t2"), ticket("t3")];

  it("accept an order within the limit and answer its tickets in the order asked", () => {
    expect(checkOrder("e1", ["t3", "t1"], found, 8).map((t) => t.id)).toEqual(["t3", "t1"]);
  });

  it("refuse more tickets than the per-order limit, naming ticket_ids", () => {
    const error = refusal(() => checkOrder("e1", ["t1", "t2", "t3"], found, 2));
    expect(error).toMatchObject({ kind: "invalid", details: { field: "ticket_ids" } });
    expect(error.message).toMatch(/at most 2 tickets per order; you asked for 3/);
  });

  it("refuse the same ticket twice in one order, naming it", () => {
    expect(refusal(() => checkOrder("e1", ["t1", "t2", "t1"], found, 8))).toMatchObject({
      kind: "invalid",
      details: { field: "ticket_ids", ticketIds: ["t1"] },
    });
  });

  it("answer NOT_FOUND for unknown ticket ids, listing only those", () => {
    expect(refusal(() => checkOrder("e1", ["t1", "nope", "gone"], found, 8))).toMatchObject({
      kind: "not_found",
      details: { field: "ticket_ids", ticketIds: ["nope", "gone"] },
    });
  });

  it("refuse tickets of another event, listing them", () => {
    const mixed = [ticket("t1"), ticket("x9", { eventId: "e2" })];
    expect(refusal(() => checkOrder("e1", ["t1", "x9"], mixed, 8))).toMatchObject({ kind: "invalid", details: { ticketIds: ["x9"] } });
  });

  it("refuse an order across currencies", () => {
    const mixed = [ticket("t1"), ticket("t2", { currency: "EUR" })];
    expect(refusal(() => checkOrder("e1", ["t1", "t2"], mixed, 8))).toMatchObject({ kind: "invalid", details: { field: "ticket_ids" } });
  });

  it("refuse sold tickets as a conflict naming them, so the buyer picks other seats", () => {
    const sold = [ticket("t1"), ticket("t2", { booked: true })];
    expect(refusal(() => checkOrder("e1", ["t1", "t2"], sold, 8))).toMatchObject({ kind: "conflict", details: { reason: "sold", ticketIds: ["t2"] } });
  });
});
