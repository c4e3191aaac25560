import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { card, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

async function codeOf(promise: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

describe.skipIf(!ready)("holds on three real Redis masters", () => {
  let fixture: BookingFixture;
  let next = 0;
  const seats = (count: number) => fixture.ticketIds.slice(next, (next += count));

  beforeAll(async () => {
    fixture = await startBookingFixture({ holdTtlMs: 1_500 });
  }, 120_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it("a held ticket cannot be reserved by another buyer; the holder can release it; then anyone can", async () => {
    const [seat] = seats(1);
    const alice = await fixture.as("alice");
    const bob = await fixture.as("bob");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, alice);
    expect(reservation?.holdStatus).toBe(HoldStatus.HELD);
    const refused = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob).catch((e) => ConnectError.from(e));
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(Code.FailedPrecondition);
    expect((refused as ConnectError).rawMessage).toContain(seat);
    expect(await codeOf(fixture.client.releaseReservation({ reservationId: reservation!.id }, bob))).toBe(Code.PermissionDenied);
    await fixture.client.releaseReservation({ reservationId: reservation!.id }, alice);
    expect((await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob)).reservation?.holdStatus).toBe(HoldStatus.HELD);
  });

  it("a hold expires by itself after its TTL, and then anyone can reserve", async () => {
    const [seat] = seats(1);
    await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, await fixture.as("alice"));
    const bob = await fixture.as("bob");
    expect(await codeOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob))).toBe(Code.FailedPrecondition);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect((await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob)).reservation?.holdStatus).toBe(HoldStatus.HELD);
  });

  it("all or none: one taken ticket refuses the whole request and holds nothing", async () => {
    const [free, taken] = seats(2);
    await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [taken!] }, await fixture.as("alice"));
    const bob = await fixture.as("bob");
    expect(await codeOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [free!, taken!] }, bob))).toBe(Code.FailedPrecondition);
    expect(await codeOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [free!] }, await fixture.as("carol")))).toBe("ok");
  });

  it("with one node of three stopped, reserve and confirm keep working", async () => {
    await fixture.redis.stop(2);
    try {
      const [seat] = seats(1);
      const alice = await fixture.as("alice");
      const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, alice);
      expect(reservation?.holdStatus).toBe(HoldStatus.HELD);
      expect(await codeOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, await fixture.as("bob")))).toBe(
        Code.FailedPrecondition,
      );
      const { booking } = await fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: "one-down-1" }, alice);
      expect(booking?.tickets.map((t) => t.ticketId)).toEqual([seat]);
    } finally {
      await fixture.redis.start(2);
    }
  });

  it("with two of three stopped, reserve degrades, direct buying still sells each seat once, and holds resume when nodes return", async () => {
    const [seat] = seats(1);
    await fixture.redis.stop(1);
    await fixture.redis.stop(2);
    try {
      const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, await fixture.as("alice"));
      expect(reservation?.holdStatus).toBe(HoldStatus.DEGRADED_NO_HOLD);
      expect(reservation?.message).toMatch(/buy these seats directly/);
      const buyers = Array.from({ length: 10 }, (_, index) => `degraded-${index}`);
      const results = await Promise.all(
        buyers.map(async (buyer) =>
          codeOf(
            fixture.client.confirmBooking(
              { eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: `${buyer}-key` },
              await fixture.as(buyer),
            ),
          ),
        ),
      );
      expect(results.filter((result) => result === "ok")).toHaveLength(1);
      for (const result of results) expect(["ok", Code.FailedPrecondition, Code.Aborted]).toContain(result);
      const booked = await fixture.database.db("booking_items").where({ ticket_id: seat, active: true });
      expect(booked).toHaveLength(1);
      // One charge for the winner; the losers' authorizations were voided, none left open.
      const ledger = await fixture.database.db("payments").where("idempotency_key", "like", "degraded-%");
      expect(ledger.filter((payment) => payment.status === "captured")).toHaveLength(1);
      expect(ledger.filter((payment) => ["pending", "authorized"].includes(payment.status))).toEqual([]);
      const theirs = new Set(ledger.map((payment) => payment.provider_payment_id).filter(Boolean));
      const providerSide = fixture.provider.payments().filter((payment) => theirs.has(payment.providerPaymentId));
      expect(providerSide.filter((payment) => payment.status === "captured")).toHaveLength(1);
      expect(providerSide.filter((payment) => payment.status === "authorized")).toEqual([]);
    } finally {
      await fixture.redis.start(1);
      await fixture.redis.start(2);
    }
    const [later] = seats(1);
    await eventually(async () => {
      const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [later!] }, await fixture.as("alice"));
      expect(reservation?.holdStatus).toBe(HoldStatus.HELD);
    }, 15_000, 300);
  });
});
