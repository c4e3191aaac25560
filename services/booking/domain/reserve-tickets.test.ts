import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import type { HoldOutcome, TicketHolds } from "../../shared/holds/ticket-holds.js";
import type { ReservationStore, TicketInventory } from "./booking-ports.js";
import type { SaleEvent } from "./booking-types.js";
import { createReserveTickets } from "./reserve-tickets.js";

const NOW = new Date("2030-01-01T12:00:00Z");
const onSale: SaleEvent = {
  id: "e1",
  name: "Late Laughs",
  status: "scheduled",
  onSaleAt: new Date("2029-12-01T10:00:00Z"),
  startsAt: new Date("2030-01-02T20:00:00Z"),
  timeZone: "Europe/London",
  sectionNames: { A: "Stalls" },
};

/** Reserve with its ports faked inline: the lock store answers `outcome`, the event is `event` (none if undefined). */
function reserveWith(outcome: HoldOutcome, options: { event?: SaleEvent | undefined } = {}) {
  const calls: string[] = [];
  const saved: string[] = [];
  const holds: TicketHolds = {
    async hold({ eventId, ticketIds, ttlMs, userId, record }) {
      calls.push(`hold ${eventId} ${ticketIds.join(",")} ${ttlMs} ${userId}`);
      if (outcome.kind === "held" && record) saved.push(`${record.key} ${record.value({ token: outcome.token, expiresAt: outcome.expiresAt })}`);
      return outcome;
    },
    async release({ ticketIds, token, recordKey }) {
      calls.push(`release ${ticketIds.join(",")} ${token}${recordKey ? ` ${recordKey}` : ""}`);
    },
    claim: async () => {
      throw new Error("reserve never claims");
    },
    holders: async () => new Map(),
    eventHolds: async () => new Map(),
    readRecord: async () => undefined,
  };
  const reservations: ReservationStore = {
    record: (draft) => ({ key: `reservation:${draft.id}`, value: ({ token }) => `${draft.userId} ${draft.ticketIds.join(",")} ${token}` }),
    recordKey: (id) => `reservation:${id}`,
    find: async () => undefined,
  };
  const event = "event" in options ? options.event : onSale;
  const inventory: TicketInventory = {
    findEvent: async (eventId) => (event?.id === eventId ? event : undefined),
    findTickets: async (ids) => ids.map((id, index) => ({ id, eventId: "e1", section: "A", row: "1", seat: index + 1, priceMinor: 100, currency: "GBP", booked: false })),
    findBookingByIdempotencyKey: async () => undefined,
    bookTickets: async () => {
      throw new Error("reserve never books");
    },
  };
  const reserve = createReserveTickets({
    holds,
    reservations,
    inventory,
    publisher: { publish: async () => void calls.push("publish") },
    settings: { holdTtlMs: 600_000, maxTicketsPerOrder: 8, idempotencyWaitMs: 1, confirmDeadlineMs: 30_000, paymentTimeoutMs: 10_000 },
    newId: () => "r1",
    clock: () => NOW,
  });
  return { reserve, calls, saved, inventory, holds };
}

const expiresAt = new Date("2030-01-01T00:00:00Z");

describe("reserve decisions", () => {
  it("holds for the caller with the configured TTL and records the reservation", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt });
    const outcome = await world.reserve("alice", "e1", ["t1", "t2"]);
    expect(outcome).toEqual({ kind: "held", reservation: { id: "r1", userId: "alice", eventId: "e1", ticketIds: ["t1", "t2"], holdToken: "tok", expiresAt } });
    expect(world.calls).toEqual(["hold e1 t1,t2 600000 alice", "publish"]);
    // The record is stored by the hold itself, in the same step.
    expect(world.saved).toEqual(["reservation:r1 alice t1,t2 tok"]);
  });

  it("without an event id, the tickets name their event (the seed's {ticketId} form)", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt });
    const outcome = await world.reserve("alice", "", ["t1"]);
    expect(outcome).toMatchObject({ kind: "held", reservation: { eventId: "e1", ticketIds: ["t1"] } });
    expect(world.calls[0]).toBe("hold e1 t1 600000 alice");
  });

  it("without an event id, an unknown ticket is NOT_FOUND naming it, and nothing is held", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt });
    world.inventory.findTickets = async () => [];
    await expect(world.reserve("alice", "", ["t9"])).rejects.toMatchObject({ kind: "not_found", message: "no such ticket: t9", details: { field: "ticket_ids" } });
    expect(world.calls).toEqual([]);
  });

  it("taken seats are a conflict naming them as seats, their ids in the details", async () => {
    const world = reserveWith({ kind: "taken", ticketIds: ["t2"], holders: new Map([["t2", "bob.x"]]) });
    await expect(world.reserve("alice", "e1", ["t1", "t2"])).rejects.toMatchObject({
      kind: "conflict",
      message: expect.stringMatching(/^held by another buyer: Stalls row 1 seat 2;/),
      details: { reason: "held", ticketIds: ["t2"] },
    });
  });

  it("an unreachable lock store degrades: no hold, a message that says to buy directly", async () => {
    const outcome = await reserveWith({ kind: "unavailable", reason: "no quorum" }).reserve("alice", "e1", ["t1"]);
    expect(outcome).toMatchObject({ kind: "degraded", ticketIds: ["t1"] });
    expect(outcome.kind === "degraded" && outcome.message).toMatch(/buy these seats directly/);
  });

  it("checks the order before holding anything", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt });
    await expect(world.reserve("alice", "e1", ["t1", "t1"])).rejects.toBeInstanceOf(DomainError);
    expect(world.calls).toEqual([]);
  });

  it("an unknown event is NOT_FOUND naming event_id, and nothing is held", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { event: undefined });
    await expect(world.reserve("alice", "e1", ["t1"])).rejects.toMatchObject({
      kind: "not_found",
      message: "event e1 does not exist",
      details: { field: "event_id" },
    });
    expect(world.calls).toEqual([]);
  });

  it("an event outside its sale window, or cancelled, is refused before anything is held", async () => {
    const closed: Array<[SaleEvent, string]> = [
      [{ ...onSale, onSaleAt: new Date("2030-01-01T12:00:00.001Z") }, "not_on_sale_yet"],
      [{ ...onSale, startsAt: NOW }, "sales_ended"],
      [{ ...onSale, status: "cancelled" }, "event_cancelled"],
    ];
    for (const [event, reason] of closed) {
      const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { event });
      await expect(world.reserve("alice", "e1", ["t1"])).rejects.toMatchObject({ kind: "conflict", details: { field: "event_id", reason } });
      expect(world.calls).toEqual([]);
    }
  });
});

describe("reserve when the caller is gone", () => {
  it("a caller that cancelled before the hold gets CANCELLED and nothing is held", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt });
    const controller = new AbortController();
    controller.abort();
    await expect(world.reserve("alice", "e1", ["t1"], controller.signal)).rejects.toMatchObject({ kind: "cancelled" });
    expect(world.calls).toEqual([]);
  });

  it("a hold granted after its caller cancelled is released with its record, not left for its TTL", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt });
    const controller = new AbortController();
    const hold = world.holds.hold;
    world.holds.hold = async (request) => {
      const outcome = await hold(request);
      controller.abort();
      return outcome;
    };
    await expect(world.reserve("alice", "e1", ["t1"], controller.signal)).rejects.toMatchObject({ kind: "cancelled" });
    expect(world.calls).toEqual(["hold e1 t1 600000 alice", "release t1 tok reservation:r1"]);
  });
});
