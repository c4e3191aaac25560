import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import type { InventoryTicket, SaleEvent } from "./booking-types.js";
import { checkOrder, heldByOthers } from "./order-rules.js";

const EVENT: SaleEvent = {
  id: "e1",
  name: "Late Laughs",
  status: "scheduled",
  onSaleAt: null,
  startsAt: new Date("2030-01-01T20:00:00Z"),
  timeZone: "Europe/London",
  purchaseLimit: 8,
  sectionNames: { A: "Stalls", FLOOR: "Floor (standing)" },
};

const rules = (maxTicketsPerOrder: number, now = new Date("2029-12-01T00:00:00Z")) => ({ maxTicketsPerOrder, now });

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
    expect(checkOrder(EVENT, ["t3", "t1"], found, rules(8)).map((t) => t.id)).toEqual(["t3", "t1"]);
  });

  it("refuse more tickets than the per-order limit, naming ticket_ids", () => {
    const error = refusal(() => checkOrder(EVENT, ["t1", "t2", "t3"], found, rules(2)));
    expect(error).toMatchObject({ kind: "invalid", details: { field: "ticket_ids" } });
    expect(error.message).toMatch(/at most 2 tickets per order; you asked for 3/);
  });

  it("refuse the same ticket twice in one order, naming it", () => {
    expect(refusal(() => checkOrder(EVENT, ["t1", "t2", "t1"], found, rules(8)))).toMatchObject({
      kind: "invalid",
      details: { field: "ticket_ids", ticketIds: ["t1"] },
    });
  });

  it("answer NOT_FOUND for unknown ticket ids, listing only those", () => {
    expect(refusal(() => checkOrder(EVENT, ["t1", "nope", "gone"], found, rules(8)))).toMatchObject({
      kind: "not_found",
      details: { field: "ticket_ids", ticketIds: ["nope", "gone"] },
    });
  });

  it("refuse tickets of another event, naming their seats by that event's section codes and listing their ids", () => {
    const mixed = [ticket("t1"), ticket("x9", { eventId: "e2", section: "B", row: "4", seat: 7 })];
    const error = refusal(() => checkOrder(EVENT, ["t1", "x9"], mixed, rules(8)));
    expect(error).toMatchObject({ kind: "invalid", details: { field: "ticket_ids", ticketIds: ["x9"] } });
    expect(error.message).toBe("B row 4 seat 7 belongs to another event than Late Laughs");
  });

  it("refuse an order across currencies", () => {
    const mixed = [ticket("t1"), ticket("t2", { currency: "EUR" })];
    expect(refusal(() => checkOrder(EVENT, ["t1", "t2"], mixed, rules(8)))).toMatchObject({ kind: "invalid", details: { field: "ticket_ids" } });
  });

  it("refuse sold tickets as a conflict naming their seats, with their ids in the details", () => {
    const sold = [ticket("t1"), ticket("t2", { booked: true, row: "C", seat: 12 })];
    const error = refusal(() => checkOrder(EVENT, ["t1", "t2"], sold, rules(8)));
    expect(error).toMatchObject({ kind: "conflict", details: { reason: "sold", ticketIds: ["t2"] } });
    expect(error.message).toBe("already sold: Stalls row C seat 12; choose other seats");
    expect(error.message).not.toContain("t2");
  });
});

describe("order rules and the sale window", () => {
  const cancelled: SaleEvent = { ...EVENT, status: "cancelled" };

  it("an order for an event that does not sell now is refused with the sale reason, once the request itself is sound", () => {
    expect(refusal(() => checkOrder(cancelled, ["t1"], [ticket("t1")], rules(8)))).toMatchObject({ kind: "conflict", details: { reason: "event_cancelled" } });
    const late = rules(8, EVENT.startsAt);
    expect(refusal(() => checkOrder(EVENT, ["t1"], [ticket("t1")], late))).toMatchObject({ kind: "conflict", details: { reason: "sales_ended" } });
  });

  it("a faulty request is INVALID_ARGUMENT or NOT_FOUND even for a closed sale: the buyer fixes the request first", () => {
    expect(refusal(() => checkOrder(cancelled, ["t1", "t1"], [ticket("t1")], rules(8))).kind).toBe("invalid");
    expect(refusal(() => checkOrder(cancelled, ["nope"], [], rules(8))).kind).toBe("not_found");
  });

  it("a closed sale is the answer before sold seats: no choosing other seats can help", () => {
    expect(refusal(() => checkOrder(cancelled, ["t1"], [ticket("t1", { booked: true })], rules(8)))).toMatchObject({ details: { reason: "event_cancelled" } });
  });
});

describe("held by another buyer", () => {
  const tickets = [ticket("t1", { seat: 3 }), ticket("g1", { section: "FLOOR", row: null, seat: 1 }), ticket("g2", { section: "FLOOR", row: null, seat: 2 })];

  it("names the taken seats as the buyer sees them and keeps their ids in the details", () => {
    const error = heldByOthers(EVENT, tickets, ["g2", "t1"]);
    expect(error).toMatchObject({ kind: "conflict", details: { reason: "held", ticketIds: ["t1", "g2"] } });
    expect(error.message).toBe("held by another buyer: Stalls row 1 seat 3, Floor (standing); choose other seats or try again in a few minutes");
  });

  it("names every ticket of the order when the lock store does not say which are taken", () => {
    const error = heldByOthers(EVENT, tickets, []);
    expect(error.details).toMatchObject({ ticketIds: ["t1", "g1", "g2"] });
    expect(error.message).toMatch(/^held by another buyer: Stalls row 1 seat 3, 2 places in Floor \(standing\);/);
  });
});
