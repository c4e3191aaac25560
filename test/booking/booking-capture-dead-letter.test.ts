import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingMetrics } from "../../services/booking/booking-metrics.js";
import type { PaymentProvider } from "../../services/booking/domain/payment-provider.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { card, startBookingFixture, type BookingFixture } from "./booking-fixture.js";
import { recoveryAfterLeases } from "./booking-steps.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

const MAX_ATTEMPTS = 3;

describe.skipIf(!ready)("a capture that keeps failing", () => {
  let fixture: BookingFixture;
  const registry = new Registry();
  const captures: string[] = [];
  let counted: PaymentProvider;
  /** Every capture call of this process's provider, recorded. */
  const countCaptures = (provider: PaymentProvider) =>
    (counted = Object.assign(Object.create(provider) as PaymentProvider, {
      async capture(providerPaymentId: string, idempotencyKey: string) {
        captures.push(providerPaymentId);
        return provider.capture(providerPaymentId, idempotencyKey);
      },
    }));

  beforeAll(async () => {
    fixture = await startBookingFixture({ maxCaptureAttempts: MAX_ATTEMPTS, metrics: bookingMetrics(registry), payments: countCaptures });
  }, 120_000);

  afterAll(async () => {
    await fixture?.close();
  });

  /** One recovery pass once the previous pass's lease on the payment has run out. */
  const passAfterLease = () => recoveryAfterLeases(fixture.database.db, counted, MAX_ATTEMPTS).runOnce();

  it("ends dead-lettered after its last attempt, counted for the alert, and the buyer keeps the booking", async () => {
    const [seat] = fixture.ticketIds;
    const dee = await fixture.as("dee");
    const request = { eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "dee-never-captured" };
    // The authorization is gone at the provider (expired, voided by hand): no capture can succeed.
    fixture.provider.failNext("capture", 1);
    const { booking } = await fixture.client.confirmBooking(request, dee);
    const row = await fixture.ledgerRow("dee", "dee-never-captured");
    await fixture.provider.void(row!.provider_payment_id, "voided-at-the-provider");
    captures.length = 0;

    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      await passAfterLease();
      expect(await fixture.ledgerRow("dee", "dee-never-captured")).toMatchObject({ status: "authorized", attempts: attempt });
    }
    await passAfterLease();
    expect(await fixture.ledgerRow("dee", "dee-never-captured")).toMatchObject({ status: "capture_failed", failure_reason: "capture_retries_exhausted", booking_id: booking!.id });
    expect(captures).toHaveLength(MAX_ATTEMPTS);

    // Not retried any more, and no longer in the backlog: it waits for an operator.
    await passAfterLease();
    expect(captures).toHaveLength(MAX_ATTEMPTS);
    expect(await fixture.booking.recovery.backlog()).toBe(0);
    expect(await fixture.booking.recovery.deadLetters()).toBe(1);
    const stop = fixture.booking.startRecovery();
    try {
      await eventually(async () => {
        const [gauge] = (await registry.getSingleMetric("boxoffice_payment_capture_dead_letters")!.get()).values;
        expect(gauge?.value).toBe(1);
      }, 5_000, 50);
    } finally {
      stop();
    }
    expect((await fixture.client.confirmBooking(request, dee)).booking?.id).toBe(booking!.id);
  });
});
