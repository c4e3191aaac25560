import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { holderOf } from "../../services/shared/holds/holder-token.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { card, codeOf, outcomeOf, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

describe.skipIf(!ready)("holds on three real Redis masters", () => {
  let fixture: BookingFixture;
  let next = 0;
  const seats = (count: number) => fixture.ticketIds.slice(next, (next += count));

  beforeAll(async () => {
    // Holds outlive every test (60 s) but the one about expiry, which sets its own TTL.
    fixture = await startBookingFixture();
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
    // The buyer reads the seat; the id travels in the details for clients.
    expect((refused as ConnectError).rawMessage).toMatch(/^held by another buyer: .+; choose other seats/);
    expect((refused as ConnectError).rawMessage).not.toContain(seat);
    expect(errorDetailsOf(refused as ConnectError)).toMatchObject({ reason: "held", ticketIds: [seat] });
    expect(await codeOf(fixture.client.releaseReservation({ reservationId: reservation!.id }, bob))).toBe(Code.PermissionDenied);
    await fixture.client.releaseReservation({ reservationId: reservation!.id }, alice);
    expect((await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob)).reservation?.holdStatus).toBe(HoldStatus.HELD);
  });

  it("a hold expires by itself after its TTL, and then anyone can reserve", async () => {
    const [seat] = seats(1);
    fixture.settings.holdTtlMs = 3_000;
    try {
      const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, await fixture.as("alice"));
      const expiresAt = timestampMs(reservation!.expiresAt!);
      const bob = await fixture.as("bob");
      expect(await codeOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob))).toBe(Code.FailedPrecondition);
      expect(Date.now()).toBeLessThan(expiresAt);
      const { reservation: bobs } = await eventually(() => fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob), 10_000, 200);
      expect(bobs?.holdStatus).toBe(HoldStatus.HELD);
      // Nothing released Alice's hold: Bob got the seat only once its TTL had run out.
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    } finally {
      fixture.settings.holdTtlMs = 60_000;
    }
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
      const providerSide = (await fixture.provider.payments()).filter((payment) => theirs.has(payment.providerPaymentId));
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

  it("a hold is bound to its buyer: they confirm it by ticket ids, another buyer cannot", async () => {
    const [first, second] = seats(2);
    const alice = await fixture.as("alice");
    const bob = await fixture.as("bob");
    await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [first!, second!] }, alice);
    const tokens = await fixture.holdReader.holders([first!, second!]);
    expect([...tokens.values()].map(holderOf)).toEqual(["alice", "alice"]);

    const refused = await outcomeOf(
      fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [first!, second!], paymentDetails: card(), idempotencyKey: "bob-takes-1" }, bob),
    );
    expect((refused as ConnectError).code).toBe(Code.FailedPrecondition);
    expect(errorDetailsOf(refused as ConnectError)).toMatchObject({ reason: "held", ticketIds: [first, second] });
    expect(await fixture.ledgerRow("bob", "bob-takes-1")).toBeUndefined();

    const { booking } = await fixture.client.confirmBooking(
      { eventId: fixture.eventId, ticketIds: [second!, first!], paymentDetails: card(), idempotencyKey: "alice-own-1" },
      alice,
    );
    expect(booking?.tickets.map((ticket) => ticket.ticketId).sort()).toEqual([first, second].sort());
    expect((await fixture.ledgerRow("alice", "alice-own-1"))?.status).toBe("captured");
    // Her holds were released with the purchase, not left to expire.
    expect((await fixture.holdReader.holders([first!, second!])).size).toBe(0);
  });

  it("confirming a reservation with other ticket ids than its own is refused, naming ticket_ids", async () => {
    const [held, other] = seats(2);
    const alice = await fixture.as("alice");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [held!] }, alice);
    const mismatch = await outcomeOf(
      fixture.client.confirmBooking(
        { reservationId: reservation!.id, eventId: fixture.eventId, ticketIds: [other!], paymentDetails: card(), idempotencyKey: "mismatch-1" },
        alice,
      ),
    );
    expect((mismatch as ConnectError).code).toBe(Code.InvalidArgument);
    expect(errorDetailsOf(mismatch as ConnectError)).toMatchObject({ field: "ticketIds" });
    expect(await fixture.ledgerRow("alice", "mismatch-1")).toBeUndefined();
  });

  it("with two of three stopped, a reservation cannot be read: confirm says what to send, and with the seats it books directly", async () => {
    const [first, second] = seats(2);
    const alice = await fixture.as("alice");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [first!, second!] }, alice);
    expect(reservation?.holdStatus).toBe(HoldStatus.HELD);
    await fixture.redis.stop(1);
    await fixture.redis.stop(2);
    try {
      const byReservation = { reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: "outage-1" };
      const unreadable = await outcomeOf(fixture.client.confirmBooking(byReservation, alice));
      expect((unreadable as ConnectError).code).toBe(Code.Unavailable);
      expect((unreadable as ConnectError).rawMessage).toMatch(/event_id and ticket_ids/);
      expect(errorDetailsOf(unreadable as ConnectError)).toMatchObject({ field: "reservationId", reason: "reservations_unreachable" });
      expect(await fixture.ledgerRow("alice", "outage-1")).toBeUndefined();
      expect(await codeOf(fixture.client.releaseReservation({ reservationId: reservation!.id }, alice))).toBe(Code.Unavailable);

      const { booking } = await fixture.client.confirmBooking({ ...byReservation, eventId: fixture.eventId, ticketIds: [first!, second!] }, alice);
      expect(booking?.tickets.map((ticket) => ticket.ticketId).sort()).toEqual([first, second].sort());
      const tickets = await fixture.database.db("tickets").whereIn("id", [first!, second!]).select("status", "booking_id");
      expect(tickets).toEqual([
        { status: "booked", booking_id: booking!.id },
        { status: "booked", booking_id: booking!.id },
      ]);
      expect((await fixture.ledgerRow("alice", "outage-1"))?.status).toBe("captured");
    } finally {
      await fixture.redis.start(1);
      await fixture.redis.start(2);
    }
  });
});
