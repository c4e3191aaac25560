import { setTimeout } from "node:timers/promises";
import { Code } from "@connectrpc/connect";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatedPaymentProvider } from "../../services/booking/adapters/payments/simulated-payment-provider.js";
import { createPostgresPaymentLedger } from "../../services/booking/adapters/postgres/postgres-payment-ledger.js";
import type { PaymentProvider } from "../../services/booking/domain/payment-provider.js";
import { createPaymentRecovery } from "../../services/booking/domain/payment-recovery.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { card, codeOf, startBookingFixture, startBookingInstance, type BookingFixture, type BookingInstance } from "./booking-fixture.js";
import { recoveryAfterLeases } from "./booking-steps.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

const BUYERS = 24;

/**
 * Two booking replicas, each with its own provider object on the shared books, take confirms
 * while both run recovery passes back to back with no grace: every confirm races a worker that
 * may claim its payment at any step. Whatever wins each race, the money and the seats agree.
 */

/** Recovery as a replica runs it, with its provider's answer to a void arriving late (a slow network). */
function slowVoidRecovery(db: Knex, provider: PaymentProvider) {
  const payments = Object.assign(Object.create(provider) as PaymentProvider, {
    async void(providerPaymentId: string, idempotencyKey: string) {
      await provider.void(providerPaymentId, idempotencyKey);
      await setTimeout(10);
    },
  });
  return createPaymentRecovery({ ledger: createPostgresPaymentLedger(db, provider.name), payments, graceMs: 0, maxCaptureAttempts: 20 });
}
describe.skipIf(!ready)("confirms racing recovery on two replicas", () => {
  let fixture: BookingFixture;
  let replica: BookingInstance;
  let replicaProvider: SimulatedPaymentProvider;

  beforeAll(async () => {
    fixture = await startBookingFixture();
    replicaProvider = new SimulatedPaymentProvider(fixture.database.db);
    replica = await startBookingInstance(fixture.database, fixture.lockNodes, replicaProvider);
    // Slow enough that passes land between authorize and commit, fast enough that some sales win.
    fixture.provider.latencyMs.set("authorize", 15);
    replicaProvider.latencyMs.set("authorize", 15);
  }, 120_000);

  afterAll(async () => {
    await replica?.close();
    await fixture?.close();
  });

  it("never leave a ticket without a capture, nor a capture (or an open authorization) without a ticket", async () => {
    const seats = fixture.ticketIds.slice(0, BUYERS);
    let racing = true;
    const workers = [fixture.provider, replicaProvider].map(async (provider) => {
      const recovery = slowVoidRecovery(fixture.database.db, provider);
      while (racing) await recovery.runOnce().catch(() => 0);
    });
    const outcomes = await Promise.all(
      seats.map(async (ticketId, index) => {
        const client = index % 2 === 0 ? fixture.client : replica.client;
        const request = { eventId: fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey: `race-key-${index}` };
        return codeOf(client.confirmBooking(request, await fixture.as(`racer-${index}`)));
      }),
    );
    racing = false;
    await Promise.all(workers);
    for (const outcome of outcomes) expect(["ok", Code.Aborted]).toContain(outcome);

    // Settle: leases run out, and recovery finishes whatever the race left mid-flight.
    await recoveryAfterLeases(fixture.database.db, fixture.provider).runOnce();
    const db = fixture.database.db;
    const payments = await db("payments").whereIn("user_id", seats.map((_, index) => `racer-${index}`));
    const atProvider = new Map((await fixture.provider.payments()).map((p) => [p.idempotencyKey, p]));
    const tickets = new Map((await db("tickets").whereIn("id", seats).select("id", "status", "booking_id")).map((t) => [t.id as string, t]));
    const bookings = await db("bookings").whereIn("user_id", seats.map((_, index) => `racer-${index}`));

    expect(payments).toHaveLength(BUYERS);
    expect(payments.filter((p) => ["pending", "authorized", "voiding"].includes(p.status))).toEqual([]);
    for (const payment of payments) {
      const ticket = tickets.get(payment.ticket_ids[0])!;
      const provider = atProvider.get(payment.id);
      if (payment.status === "captured") {
        // A capture is backed by the ticket it paid for, at the booking's amount.
        expect(ticket).toMatchObject({ status: "booked", booking_id: payment.booking_id });
        expect(provider).toMatchObject({ status: "captured", amountMinor: bookings.find((b) => b.id === payment.booking_id)!.total_minor });
      } else {
        // No booking: the seat stayed on sale and nothing is held on the card.
        expect(payment.booking_id).toBeNull();
        expect(ticket.status).toBe("available");
        expect(["voided", "failed"]).toContain(payment.status);
        expect(provider?.status ?? "never_authorized").not.toMatch(/authorized|captured/);
      }
    }
    // Every sold seat was one of the confirms that answered with a booking.
    expect([...tickets.values()].filter((t) => t.status === "booked")).toHaveLength(outcomes.filter((o) => o === "ok").length);
    console.info(`recovery race: ${outcomes.filter((o) => o === "ok").length} booked, ${outcomes.filter((o) => o !== "ok").length} lost to recovery`);
  });
});
