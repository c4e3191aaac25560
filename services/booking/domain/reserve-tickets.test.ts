import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import { HoldsUnavailableError, type HoldOutcome, type LockOutcome, type TicketHolds, type UserHold } from "../../shared/holds/ticket-holds.js";
import type { ReservationStore, TicketInventory } from "./booking-ports.js";
import type { Reservation, SaleEvent } from "./booking-types.js";
import { createReserveTickets } from "./reserve-tickets.js";

const NOW = new Date("2030-01-01T12:00:00Z");
const onSale: SaleEvent = {
  id: "e1",
  name: "Late Laughs",
  status: "scheduled",
  onSaleAt: new Date("2029-12-01T10:00:00Z"),
  startsAt: new Date("2030-01-02T20:00:00Z"),
  timeZone: "Europe/London",
  purchaseLimit: 8,
  sectionNames: { A: "Stalls" },
};

interface WorldOptions {
  event?: SaleEvent | undefined;
  /** The caller's live holds in the event, as their hold index has them. */
  mine?: Map<string, UserHold>;
  bought?: number;
  /** Reservations the store can read back. */
  stored?: Reservation[];
  /** The buyer lock's answers, one per try; locked when they run out. */
  locks?: LockOutcome[];
}

/** Reserve with its ports faked inline: the lock store answers `outcome`, the event is `event` (none if undefined). */
function reserveWith(outcome: HoldOutcome, options: WorldOptions = {}) {
  const locking: string[] = [];
  const locks = [...(options.locks ?? [])];
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
    userHolds: async (eventId, userId) => {
      locking.push(`count ${eventId} ${userId}`);
      return options.mine ?? new Map();
    },
    lock: async (key) => {
      const next = locks.shift() ?? { kind: "locked", token: "lock-token" };
      locking.push(`lock ${key} ${next.kind}`);
      return next;
    },
    unlock: async (key, token) => void locking.push(`unlock ${key} ${token}`),
  };
  const reservations: ReservationStore = {
    record: (draft) => ({ key: `reservation:${draft.id}`, value: ({ token }) => `${draft.userId} ${draft.ticketIds.join(",")} ${token}` }),
    recordKey: (id) => `reservation:${id}`,
    reservationIdOf: (key) => (key.startsWith("reservation:") ? key.slice("reservation:".length) : undefined),
    find: async (id) => options.stored?.find((reservation) => reservation.id === id),
  };
  const event = "event" in options ? options.event : onSale;
  const inventory: TicketInventory = {
    findEvent: async (eventId) => (event?.id === eventId ? event : undefined),
    findTickets: async (ids) => ids.map((id, index) => ({ id, eventId: "e1", section: "A", row: "1", seat: index + 1, priceMinor: 100, currency: "GBP", booked: false })),
    findBookingByIdempotencyKey: async () => undefined,
    countBought: async () => options.bought ?? 0,
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
    sleep: async () => void locking.push("sleep"),
  });
  return { reserve, calls, saved, inventory, holds, locking };
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

const own = (token: string, recordKey?: string): UserHold => ({ token, expiresAtMs: expiresAt.getTime(), ...(recordKey ? { recordKey } : {}) });

describe("reserve within the purchase limit", () => {
  it("counts the caller's holds and bought tickets under their lock on the event, then holds and unlocks", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { mine: new Map([["t7", own("alice.a", "reservation:r0")]]), bought: 3 });
    await world.reserve("alice", "e1", ["t1", "t2"]);
    expect(world.locking).toEqual(["lock purchase-lock:e1:YWxpY2U locked", "count e1 alice", "unlock purchase-lock:e1:YWxpY2U lock-token"]);
    expect(world.calls[0]).toBe("hold e1 t1,t2 600000 alice");
  });

  it("an order that would pass the limit is refused with what the buyer holds, has bought and can add; nothing is held", async () => {
    const mine = new Map(["t11", "t12", "t13", "t14", "t15", "t16"].map((id) => [id, own("alice.a", "reservation:r0")] as const));
    const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { mine });
    await expect(world.reserve("alice", "e1", ["t1", "t2", "t3"])).rejects.toMatchObject({
      kind: "conflict",
      message: "limit 8 tickets per account for this event: you hold 6 and have bought 0; you can add 2",
      details: { reason: "purchase_limit", limit: 8, held: 6, bought: 0, requested: 3, remaining: 2 },
    });
    expect(world.calls).toEqual([]);
    // The lock is given back on a refusal too.
    expect(world.locking.at(-1)).toBe("unlock purchase-lock:e1:YWxpY2U lock-token");
  });

  it("bought tickets count against the limit as holds do", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { event: { ...onSale, purchaseLimit: 4 }, bought: 4 });
    await expect(world.reserve("alice", "e1", ["t1"])).rejects.toMatchObject({
      message: "limit 4 tickets per account for this event: you hold 0 and have bought 4; you cannot add more",
    });
  });

  it("while another reserve of the buyer has the lock, it waits its turn", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { locks: [{ kind: "busy" }, { kind: "busy" }] });
    await expect(world.reserve("alice", "e1", ["t1"])).resolves.toMatchObject({ kind: "held" });
    expect(world.locking.slice(0, 5)).toEqual(["lock purchase-lock:e1:YWxpY2U busy", "sleep", "lock purchase-lock:e1:YWxpY2U busy", "sleep", "lock purchase-lock:e1:YWxpY2U locked"]);
  });

  it("a lock held by the buyer's other reserve all along ends in ABORTED saying to try again, holding nothing", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { locks: Array.from({ length: 500 }, () => ({ kind: "busy" }) as const) });
    await expect(world.reserve("alice", "e1", ["t1"])).rejects.toMatchObject({
      kind: "aborted",
      message: "another reservation of yours for this event is still being made; try again in a moment",
      details: { reason: "buyer_busy" },
    });
    expect(world.calls).toEqual([]);
  });

  it("a lock store that cannot take the buyer's lock degrades, as for any hold", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { locks: [{ kind: "unavailable", reason: "no quorum" }] });
    await expect(world.reserve("alice", "e1", ["t1"])).resolves.toMatchObject({ kind: "degraded" });
    expect(world.calls).toEqual([]);
  });

  it("holds that cannot be read degrade too", async () => {
    const world = reserveWith({ kind: "held", token: "tok", expiresAt });
    world.holds.userHolds = async () => {
      throw new HoldsUnavailableError("no quorum");
    };
    await expect(world.reserve("alice", "e1", ["t1"])).resolves.toMatchObject({ kind: "degraded" });
  });
});

describe("reserving seats the caller already holds", () => {
  const r0: Reservation = { id: "r0", userId: "alice", eventId: "e1", ticketIds: ["t2", "t1"], holdToken: "YWxpY2U.a", expiresAt };

  it("the same seats again answer with the existing reservation, holding nothing new", async () => {
    const mine = new Map([
      ["t1", own("YWxpY2U.a", "reservation:r0")],
      ["t2", own("YWxpY2U.a", "reservation:r0")],
    ]);
    // At the limit already: answering with the hold the buyer has is no new ticket.
    const world = reserveWith({ kind: "taken", ticketIds: ["t1", "t2"], holders: new Map() }, { mine, stored: [r0], event: { ...onSale, purchaseLimit: 2 } });
    await expect(world.reserve("alice", "e1", ["t1", "t2"])).resolves.toEqual({ kind: "held", reservation: r0 });
    expect(world.calls).toEqual([]);
  });

  it("some of them, or with other seats, is a conflict naming the caller's reservation, not another buyer", async () => {
    const mine = new Map([
      ["t1", own("YWxpY2U.a", "reservation:r0")],
      ["t2", own("YWxpY2U.a", "reservation:r0")],
    ]);
    const world = reserveWith({ kind: "held", token: "tok", expiresAt }, { mine, stored: [r0] });
    await expect(world.reserve("alice", "e1", ["t1", "t3"])).rejects.toMatchObject({
      kind: "conflict",
      message: "you already hold Stalls row 1 seat 1 in your reservation r0; confirm or release it, or reserve the other seats on their own",
      details: { reason: "held_by_you", ticketIds: ["t1"], reservationId: "r0" },
    });
    expect(world.calls).toEqual([]);
  });

  it("seats the lock store finds held under the caller's own token when holding are theirs, not another buyer's", async () => {
    const world = reserveWith({ kind: "taken", ticketIds: ["t2"], holders: new Map([["t2", "YWxpY2U.z"]]) });
    await expect(world.reserve("alice", "e1", ["t1", "t2"])).rejects.toMatchObject({ details: { reason: "held_by_you", ticketIds: ["t2"] } });
  });
});
