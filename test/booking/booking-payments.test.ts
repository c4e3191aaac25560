import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SimulatedPaymentProvider } from "../../services/booking/adapters/payments/simulated-payment-provider.js";
import type { PaymentProvider } from "../../services/booking/domain/payment-provider.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { card, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

class SimulatedCrash extends Error {}

/** A fault hook that "kills the process" at one step, for the next confirm only. */
class CrashSwitch {
  at: "afterAuthorize" | "afterCommit" | undefined;
  hooks = {
    afterAuthorize: async () => this.trip("afterAuthorize"),
    afterCommit: async () => this.trip("afterCommit"),
  };
  private trip(step: "afterAuthorize" | "afterCommit") {
    if (this.at === step) {
      this.at = undefined;
      throw new SimulatedCrash(`crashed ${step}`);
    }
  }
}

const SLOW_CARDHOLDER = "Slow Network";

/** Slows authorize for one cardholder only, to model a slow card network for one buyer. */
function slowAuthorizeFor(provider: SimulatedPaymentProvider, ms: number): PaymentProvider {
  return Object.assign(Object.create(provider) as SimulatedPaymentProvider, {
    async authorize(request: Parameters<PaymentProvider["authorize"]>[0]) {
      if (request.card.holderName === SLOW_CARDHOLDER) await new Promise((resolve) => setTimeout(resolve, ms));
      return provider.authorize(request);
    },
  });
}

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "ok" as const;
  } catch (error) {
    return ConnectError.from(error);
  }
}

describe.skipIf(!ready)("payments around the booking transaction", () => {
  let fixture: BookingFixture;
  const crash = new CrashSwitch();
  const provider = new SimulatedPaymentProvider();
  let next = 0;
  const seats = (count: number) => fixture.ticketIds.slice(next, (next += count));
  const ledgerRow = (userId: string, key: string) => fixture.database.db("payments").where({ idempotency_key: `${userId}:${key}` }).first();

  beforeAll(async () => {
    fixture = await startBookingFixture({ holdTtlMs: 1_000, payments: slowAuthorizeFor(provider, 2_500), faults: crash.hooks });
  }, 120_000);

  afterEach(() => {
    crash.at = undefined;
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it("a hold that expires during a slow payment loses to the buyer who confirmed first, and is not charged", async () => {
    const [seat] = seats(1);
    const alice = await fixture.as("alice");
    const bob = await fixture.as("bob");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, alice);
    const slowCard = { ...card(), cardholderName: SLOW_CARDHOLDER };
    const aliceConfirm = codeOf(fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: slowCard, idempotencyKey: "slow-key-1" }, alice));
    // Alice's hold (1 s) runs out while her card network takes 2.5 s.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const bobReserve = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob);
    const bobBooking = await fixture.client.confirmBooking({ reservationId: bobReserve.reservation!.id, paymentDetails: card(), idempotencyKey: "fast-key-1" }, bob);
    expect(bobBooking.booking?.tickets[0]?.ticketId).toBe(seat);

    const aliceOutcome = await aliceConfirm;
    expect(aliceOutcome).toBeInstanceOf(ConnectError);
    expect((aliceOutcome as ConnectError).code).toBe(Code.Aborted);
    expect((aliceOutcome as ConnectError).rawMessage).toMatch(/not been charged/);
    const aliceRow = await ledgerRow("alice", "slow-key-1");
    expect(aliceRow.status).toBe("voided");
    expect(provider.payments().find((p) => p.providerPaymentId === aliceRow.provider_payment_id)?.status).toBe("voided");
  });

  it("a crash between authorize and commit is repaired by the recovery worker: the authorization is voided", async () => {
    const [seat] = seats(1);
    const alice = await fixture.as("alice");
    crash.at = "afterAuthorize";
    const crashed = await codeOf(fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "crash-key-a" }, alice));
    expect(crashed).toBeInstanceOf(ConnectError);
    expect((await ledgerRow("alice", "crash-key-a")).status).toBe("authorized");
    expect(await fixture.booking.recovery.runOnce()).toBeGreaterThan(0);
    const row = await ledgerRow("alice", "crash-key-a");
    expect(row.status).toBe("voided");
    expect(provider.payments().find((p) => p.providerPaymentId === row.provider_payment_id)?.status).toBe("voided");
    expect(await fixture.database.db("tickets").where({ id: seat }).first()).toMatchObject({ status: "available" });
  });

  it("a crash between commit and capture is repaired by the recovery worker: the payment is captured", async () => {
    const [seat] = seats(1);
    const alice = await fixture.as("alice");
    crash.at = "afterCommit";
    expect(await codeOf(fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "crash-key-b" }, alice))).toBeInstanceOf(
      ConnectError,
    );
    const before = await ledgerRow("alice", "crash-key-b");
    expect(before.status).toBe("authorized");
    expect(before.booking_id).not.toBeNull();
    await fixture.booking.recovery.runOnce();
    const row = await ledgerRow("alice", "crash-key-b");
    expect(row.status).toBe("captured");
    expect(provider.payments().find((p) => p.providerPaymentId === row.provider_payment_id)?.status).toBe("captured");
    // The buyer's retry with the same key now finds the booking instead of charging again.
    const retried = await fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "crash-key-b" }, alice);
    expect(retried.booking?.id).toBe(row.booking_id);
  });

  it("a failed capture is retried by the recovery worker, and the buyer keeps the booking", async () => {
    const [seat] = seats(1);
    provider.failNext("capture", 1);
    const { booking } = await fixture.client.confirmBooking(
      { eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "capture-fails" },
      await fixture.as("dave"),
    );
    expect((await ledgerRow("dave", "capture-fails")).status).toBe("authorized");
    await fixture.booking.recovery.runOnce();
    expect((await ledgerRow("dave", "capture-fails")).status).toBe("captured");
    expect(booking?.tickets[0]?.ticketId).toBe(seat);
  });

  it("declined and insufficient-funds cards answer clearly and leave the seat held for the buyer", async () => {
    const [seat] = seats(1);
    const alice = await fixture.as("erin");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, alice);
    const declined = await codeOf(fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card("4000000000000002"), idempotencyKey: "decline-key-1" }, alice));
    expect((declined as ConnectError).code).toBe(Code.FailedPrecondition);
    expect((declined as ConnectError).rawMessage).toMatch(/declined/);
    const poor = await codeOf(fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card("4000000000009995"), idempotencyKey: "decline-key-2" }, alice));
    expect((poor as ConnectError).rawMessage).toMatch(/insufficient funds/);
    expect(await codeOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, await fixture.as("frank")))).toBeInstanceOf(ConnectError);
    const { booking } = await fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: "decline-key-3" }, alice);
    expect(booking?.tickets[0]?.ticketId).toBe(seat);
  });

  it("the same idempotency key, sequential or concurrent, charges once and returns the same booking", async () => {
    const [first, second] = seats(2);
    const alice = await fixture.as("gina");
    const request = { eventId: fixture.eventId, ticketIds: [first!], paymentDetails: card(), idempotencyKey: "same-key-1" };
    const a = await fixture.client.confirmBooking(request, alice);
    const b = await fixture.client.confirmBooking(request, alice);
    expect(b.booking?.id).toBe(a.booking?.id);

    const concurrent = { eventId: fixture.eventId, ticketIds: [second!], paymentDetails: card(), idempotencyKey: "same-key-2" };
    const results = await Promise.all(Array.from({ length: 10 }, () => fixture.client.confirmBooking(concurrent, alice)));
    expect(new Set(results.map((result) => result.booking?.id)).size).toBe(1);
    const rows = await fixture.database.db("payments").where("idempotency_key", "like", "gina:same-key-%");
    expect(rows.map((row) => row.status)).toEqual(["captured", "captured"]);
    const providerIds = new Set(rows.map((row) => row.provider_payment_id));
    expect(provider.payments().filter((p) => providerIds.has(p.providerPaymentId))).toHaveLength(2);

    const reused = await codeOf(fixture.client.confirmBooking({ ...concurrent, ticketIds: [first!] }, alice));
    expect((reused as ConnectError).code).toBe(Code.InvalidArgument);
  });
});
