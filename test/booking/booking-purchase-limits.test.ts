import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { userHoldsKeyOf } from "../../services/shared/holds/ticket-holds.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { card, outcomeOf, refusalOf, startBookingFixture, startBookingInstance, type BookingFixture, type BookingInstance } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

/** Issue 12's purchase limit on real PostgreSQL and three real Redis masters, with two booking replicas. */
describe.skipIf(!ready)("the purchase limit per account and event", () => {
  let fixture: BookingFixture;
  let replica: BookingInstance;
  let next = 0;
  const seats = (count: number) => fixture.ticketIds.slice(next, (next += count));
  let buyers = 0;
  /** A buyer of their own for each test: the limit is per account. */
  const newBuyer = async () => {
    const userId = `limit-buyer-${(buyers += 1)}`;
    return { userId, options: await fixture.as(userId) };
  };
  const setLimit = (limit: number) => fixture.database.db("events").where({ id: fixture.eventId }).update({ purchase_limit: limit });
  /** What the buyer holds as a quorum of the lock nodes sees it, read without the service. */
  const heldBy = async (userId: string) => {
    const indexes = await Promise.all(fixture.lockNodes.map((node) => node.hgetall(userHoldsKeyOf(fixture.eventId, userId))));
    const votes = new Map<string, number>();
    for (const index of indexes) {
      for (const [ticketId, entry] of Object.entries(index)) if (Number(entry.split(" ")[0]) > Date.now()) votes.set(ticketId, (votes.get(ticketId) ?? 0) + 1);
    }
    return [...votes.values()].filter((count) => count >= 2).length;
  };
  const boughtBy = async (userId: string) => {
    const [row] = await fixture.database
      .db("tickets as t")
      .join("bookings as b", "b.id", "t.booking_id")
      .where({ "b.user_id": userId, "b.event_id": fixture.eventId, "b.status": "confirmed" })
      .count<{ count: string }[]>("* as count");
    return Number(row!.count);
  };

  beforeAll(async () => {
    fixture = await startBookingFixture();
    // A second replica on the same database and lock nodes: the limit holds across processes.
    replica = await startBookingInstance(fixture.database, fixture.lockNodes, fixture.provider);
  }, 120_000);

  afterAll(async () => {
    await replica?.close();
    await fixture?.close();
  });

  it("the event's limit is 8 unless an admin set another", async () => {
    const row = await fixture.database.db("events").where({ id: fixture.eventId }).first("purchase_limit");
    expect(row.purchase_limit).toBe(8);
  });

  it("one account's 20 concurrent reserves, on two replicas, never hold more than the limit", async () => {
    const { userId, options } = await newBuyer();
    const wanted = seats(40);
    // 20 reserves of two seats each, at once, alternating between the replicas.
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        const client = index % 2 === 0 ? fixture.client : replica.client;
        return outcomeOf(client.reserveTickets({ eventId: fixture.eventId, ticketIds: wanted.slice(index * 2, index * 2 + 2) }, options));
      }),
    );
    const held = outcomes.filter((outcome) => outcome === "ok").length;
    expect(held).toBe(4);
    expect(await heldBy(userId)).toBe(8);
    for (const outcome of outcomes.filter((outcome) => outcome !== "ok")) {
      expect(outcome).toMatchObject({ code: Code.FailedPrecondition });
    }
    const refusal = await refusalOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(1) }, options));
    expect(refusal).toMatchObject({
      code: Code.FailedPrecondition,
      message: "limit 8 tickets per account for this event: you hold 8 and have bought 0; you cannot add more; release a reservation to choose other seats",
      details: { reason: "purchase_limit", limit: 8, held: 8, bought: 0, remaining: 0 },
    });
  });

  it("20 concurrent reserves of one seat each hold exactly the limit", async () => {
    const { userId, options } = await newBuyer();
    const wanted = seats(20);
    const outcomes = await Promise.all(
      wanted.map((seat, index) => outcomeOf((index % 2 === 0 ? fixture.client : replica.client).reserveTickets({ eventId: fixture.eventId, ticketIds: [seat] }, options))),
    );
    expect(outcomes.filter((outcome) => outcome === "ok")).toHaveLength(8);
    expect(await heldBy(userId)).toBe(8);
  });

  it("the limit counts bought tickets too, and says what is left", async () => {
    const { userId, options } = await newBuyer();
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(5) }, options);
    await fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: `${userId}-buy-5` }, options);
    expect(await boughtBy(userId)).toBe(5);
    expect(await fixture.client.getPurchaseAllowance({ eventId: fixture.eventId }, options)).toMatchObject({ purchaseLimit: 8, held: 0, bought: 5, remaining: 3, holdsKnown: true });

    const refusal = await refusalOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(4) }, options));
    expect(refusal).toMatchObject({
      code: Code.FailedPrecondition,
      message: "limit 8 tickets per account for this event: you hold 0 and have bought 5; you can add 3",
      details: { reason: "purchase_limit", held: 0, bought: 5, remaining: 3 },
    });
    const { reservation: three } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(3) }, options);
    expect(three?.holdStatus).toBe(HoldStatus.HELD);
    expect(await fixture.client.getPurchaseAllowance({ eventId: fixture.eventId }, options)).toMatchObject({ held: 3, bought: 5, remaining: 0 });
    // A direct purchase past the limit is refused before any money moves.
    const direct = await refusalOf(fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: seats(4), paymentDetails: card(), idempotencyKey: `${userId}-direct-4` }, options));
    expect(direct).toMatchObject({ code: Code.FailedPrecondition, details: { reason: "purchase_limit", bought: 5, requested: 4 } });
    expect(direct.message).toMatch(/^limit 8 tickets per account for this event: you have bought 5, and this order has 4; you can buy 3 more\. You have not been charged\.$/);
    expect(await fixture.ledgerRow(userId, `${userId}-direct-4`)).toBeUndefined();
  });

  it("releasing and reserving again never holds more than the limit at once", async () => {
    const { userId, options } = await newBuyer();
    for (let round = 0; round < 5; round += 1) {
      const [first] = await Promise.all([seats(4), seats(4)].map((ids) => fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: ids }, options)));
      expect(await heldBy(userId)).toBe(8);
      // Release one reservation while two replicas each try to take four more: only one fits.
      const attempts = await Promise.all([
        fixture.client.releaseReservation({ reservationId: first!.reservation!.id }, options).then(() => "released" as const),
        outcomeOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(4) }, options)),
        outcomeOf(replica.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(4) }, options)),
      ]);
      expect(attempts.filter((outcome) => outcome === "ok").length).toBeLessThanOrEqual(1);
      expect(await heldBy(userId)).toBeLessThanOrEqual(8);
      expect((await fixture.client.getPurchaseAllowance({ eventId: fixture.eventId }, options)).held).toBeLessThanOrEqual(8);
      await releaseAll(userId, options);
      expect(await heldBy(userId)).toBe(0);
    }
  });

  /** Releases every reservation the buyer holds, found through their hold index's record keys. */
  async function releaseAll(userId: string, options: { headers: Headers }) {
    const index = await fixture.lockNodes[0]!.hgetall(userHoldsKeyOf(fixture.eventId, userId));
    const records = new Set(Object.values(index).map((entry) => entry.split(" ")[2] ?? "").filter((record) => record.startsWith("reservation:")));
    for (const record of records) await fixture.client.releaseReservation({ reservationId: record.slice("reservation:".length) }, options);
  }

  it("confirm's transaction enforces the limit even when reserve's check was passed under a higher limit", async () => {
    const { userId, options } = await newBuyer();
    const first = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(4) }, options);
    const second = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(4) }, options);
    // The admin lowers the limit after both reservations were made: reserve's check is behind them.
    await setLimit(5);
    try {
      const outcomes = await Promise.all(
        [first, second].map((held, index) =>
          outcomeOf((index === 0 ? fixture.client : replica.client).confirmBooking({ reservationId: held.reservation!.id, paymentDetails: card(), idempotencyKey: `${userId}-confirm-${index}` }, options)),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === "ok")).toHaveLength(1);
      const refused = outcomes.find((outcome) => outcome !== "ok");
      expect(refused).toMatchObject({ code: Code.FailedPrecondition });
      expect(await boughtBy(userId)).toBe(4);
      // The loser is never charged: refused before any money moved (the winner had committed by
      // then), or, when both were past that check, authorized and voided by the transaction's refusal.
      const rows = await Promise.all([0, 1].map((index) => fixture.ledgerRow(userId, `${userId}-confirm-${index}`)));
      expect(rows.filter((row) => row?.status === "captured")).toHaveLength(1);
      const loser = rows.find((row) => row?.status !== "captured");
      if (loser) expect(loser).toMatchObject({ status: "voided", failure_reason: "purchase_limit", booking_id: null });
    } finally {
      await setLimit(8);
    }
  });

  it("a confirm waits for the same buyer's booking still in its transaction, and counts it", async () => {
    const { userId, options } = await newBuyer();
    const inFlight = seats(4);
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats(4) }, options);
    await setLimit(5);
    const db = fixture.database.db;
    const trx = await db.transaction();
    try {
      // Another confirm of this buyer, mid-transaction: its lock taken, four seats booked, not committed.
      await trx.raw("select pg_advisory_xact_lock(hashtextextended('purchase-limit:' || ? || ':' || ?::text, 0))", [userId, fixture.eventId]);
      const [booking] = await trx("bookings").insert({ user_id: userId, event_id: fixture.eventId, total_minor: 0, currency: "GBP", idempotency_key: `${userId}-in-flight` }).returning("id");
      await trx("tickets").whereIn("id", inFlight).update({ status: "booked", booking_id: booking.id });
      const confirm = outcomeOf(fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: `${userId}-second` }, options));
      // The confirm queues on the buyer's lock inside book_tickets (a function without it would book at once).
      const waiting = async () =>
        Number((await db.raw("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory' and query like '%book_tickets%'")).rows[0].n);
      const deadline = Date.now() + 5_000;
      while ((await waiting()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await trx.commit();
      expect(await confirm).toMatchObject({ code: Code.FailedPrecondition });
      expect(await boughtBy(userId)).toBe(4);
      expect((await fixture.ledgerRow(userId, `${userId}-second`))?.status).toBe("voided");
    } finally {
      if (!trx.isCompleted()) await trx.rollback();
      await setLimit(8);
    }
  });

  it("direct purchases racing on two replicas never book past the limit", async () => {
    const { userId, options } = await newBuyer();
    // Five direct purchases of three seats at once (no holds): the transaction alone decides.
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        outcomeOf((index % 2 === 0 ? fixture.client : replica.client).confirmBooking({ eventId: fixture.eventId, ticketIds: seats(3), paymentDetails: card(), idempotencyKey: `${userId}-direct-${index}` }, options)),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === "ok")).toHaveLength(2);
    expect(await boughtBy(userId)).toBe(6);
    for (const outcome of outcomes.filter((outcome) => outcome !== "ok")) expect(outcome).toMatchObject({ code: Code.FailedPrecondition });
  });

  it("reserving seats the caller already holds answers with the same reservation", async () => {
    const { options } = await newBuyer();
    const pair = seats(2);
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: pair }, options);
    const again = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [...pair].reverse() }, options);
    expect(again.reservation).toMatchObject({ id: reservation!.id, ticketIds: pair, holdStatus: HoldStatus.HELD });
    expect(again.reservation!.expiresAt).toEqual(reservation!.expiresAt);
    // Part of it with another seat: the caller's own reservation is named, not another buyer.
    const mixed = await refusalOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [pair[0]!, ...seats(1)] }, options));
    expect(mixed).toMatchObject({ code: Code.FailedPrecondition, details: { reason: "held_by_you", ticketIds: [pair[0]], reservationId: reservation!.id } });
    expect(mixed.message).toMatch(new RegExp(`^you already hold .+ in your reservation ${reservation!.id}; confirm or release it`));
    // Someone else still hears "held by another buyer".
    const other = await refusalOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: pair }, await fixture.as("limit-someone-else")));
    expect(other).toMatchObject({ code: Code.FailedPrecondition, details: { reason: "held" } });
    // And the reservation answered twice confirms once.
    await fixture.client.confirmBooking({ reservationId: again.reservation!.id, paymentDetails: card(), idempotencyKey: "limit-same-hold-1" }, options);
  });

  it("GetPurchaseAllowance of an unknown event is NOT_FOUND", async () => {
    const { options } = await newBuyer();
    const refusal = await refusalOf(fixture.client.getPurchaseAllowance({ eventId: "00000000-0000-4000-8000-000000000000" }, options));
    expect(refusal.code).toBe(Code.NotFound);
  });
});
