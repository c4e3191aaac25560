import { Code, ConnectError } from "@connectrpc/connect";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient } from "../../services/booking/adapters/payments/stripe-client.js";
import { stripeEventReader } from "../../services/booking/adapters/payments/stripe-payment-events.js";
import { StripePaymentProvider } from "../../services/booking/adapters/payments/stripe-payment-provider.js";
import { createPostgresPaymentLedger } from "../../services/booking/adapters/postgres/postgres-payment-ledger.js";
import { createTokenVerifier } from "../../services/shared/auth/token-verifier.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { createEdge, type Edge } from "../../services/edge/edge-server.js";
import { grpcTransports, internalClients } from "../../services/edge/internal-clients.js";
import { startBookingFixture, type BookingFixture } from "../booking/booking-fixture.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { stripeMockReady, stripeMockUrl } from "./stripe-mock.js";

/*
 * Booking in Stripe mode, end to end on real servers: the booking service over gRPC on
 * PostgreSQL and three Redis masters, its payments on stripe-mock, and the edge's webhook
 * endpoint in front of it. What stripe-mock cannot show (its intents are canned, it sends no
 * webhooks) is supplied by signing events here with the endpoint's secret, as Stripe would.
 */
const ready =
  requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable()) && (await stripeMockReady());

const WEBHOOK_SECRET = "whsec_test_boxoffice_0123456789";

describe.skipIf(!ready)("booking with PAYMENTS_PROVIDER=stripe", () => {
  let fixture: BookingFixture;
  let edge: Edge;
  let edgeUrl: string;
  let next = 0;
  const seats = (count: number) => fixture.ticketIds.slice(next, (next += count));

  beforeAll(async () => {
    const stripe = createStripeClient({ secretKey: "sk_test_123", apiBaseUrl: stripeMockUrl(), timeoutMs: 5_000, maxNetworkRetries: 1 });
    fixture = await startBookingFixture({
      payments: () => new StripePaymentProvider(stripe),
      paymentWiring: { paymentMeans: "payment_method", readPaymentEvent: stripeEventReader(WEBHOOK_SECRET) },
    });
    const address = `127.0.0.1:${fixture.service.port}`;
    const transports = grpcTransports({ catalog: address, search: address, booking: address, queue: address });
    edge = await createEdge({
      clients: internalClients(transports),
      transports,
      logger: createLogger("edge-test", "silent"),
      upstreamTimeoutMs: 5_000,
      corsOrigins: [],
      bodyLimitBytes: 64 * 1024,
      verifyToken: createTokenVerifier({ mode: "dev", devSecret: "booking-test-secret-0123456789", issuer: "boxoffice-dev", audience: "boxoffice" }),
      rateLimits: { perIp: 1_000, perUser: 1_000, windowMs: 60_000 },
      streamCaps: { perIp: 10, perUser: 10 },
      webRoot: "/nonexistent-web-root",
      stripeWebhookSecret: WEBHOOK_SECRET,
    });
    edgeUrl = await edge.app.listen({ port: 0, host: "127.0.0.1" });
  }, 120_000);

  afterAll(async () => {
    await edge?.close(100);
    await fixture?.close();
  });

  it("confirms with a payment method id: authorized and captured through the Stripe adapter, the intent's id on the ledger", async () => {
    const alice = await fixture.as("alice");
    const answer = await fixture.client.confirmBooking(
      { eventId: fixture.eventId, ticketIds: seats(1), paymentDetails: { paymentMethodId: "pm_card_visa" }, idempotencyKey: "stripe-ok-1" },
      alice,
    );
    expect(answer.booking?.status).toBe(1);
    const row = await fixture.ledgerRow("alice", "stripe-ok-1");
    expect(row).toMatchObject({ status: "captured", booking_id: answer.booking!.id, provider_payment_id: expect.stringMatching(/^pi_/) });
  });

  it("refuses raw card data with INVALID_ARGUMENT and a message saying what to send, before any payment is recorded", async () => {
    const bob = await fixture.as("bob");
    const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Bob" };
    const error = await fixture.client
      .confirmBooking({ eventId: fixture.eventId, ticketIds: seats(1), paymentDetails: card, idempotencyKey: "stripe-card-1" }, bob)
      .catch((failure: unknown) => ConnectError.from(failure));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    expect((error as ConnectError).rawMessage).toMatch(/card data is not accepted here.*paymentMethodId/);
    expect(await fixture.ledgerRow("bob", "stripe-card-1")).toBeUndefined();
  });

  describe("the webhook endpoint", () => {
    const ledger = () => createPostgresPaymentLedger(fixture.database.db, "stripe");
    const pendingPayment = async (key: string) =>
      (await ledger().begin({ userId: "carol", idempotencyKey: key, amountMinor: 5_000, currency: "USD", ticketIds: seats(1), reservationId: null }))!;
    const intentEvent = (type: string, paymentId: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        id: `evt_${Math.random().toString(36).slice(2)}`,
        object: "event",
        type,
        data: { object: { id: "pi_webhook_1", object: "payment_intent", metadata: { boxoffice_payment_id: paymentId }, ...extra } },
      });
    const post = (payload: string, signature?: string) =>
      fetch(`${edgeUrl}/webhooks/stripe`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(signature !== undefined && { "stripe-signature": signature }) },
        body: payload,
      });
    const signed = (payload: string, secret = WEBHOOK_SECRET) => Stripe.webhooks.generateTestHeaderString({ payload, secret });
    const status = async (id: string) => (await fixture.database.db("payments").where({ id }).first()).status as string;

    it("a signed payment_intent.payment_failed declines the pending payment, with Stripe's reason; a repeat finds it recorded", async () => {
      const payment = await pendingPayment("failed-1");
      const payload = intentEvent("payment_intent.payment_failed", payment.id, { last_payment_error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds" } });
      const first = await post(payload, signed(payload));
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ received: true, outcome: "applied" });
      expect(await fixture.database.db("payments").where({ id: payment.id }).first()).toMatchObject({ status: "declined", failure_reason: "insufficient_funds" });
      const again = await post(payload, signed(payload));
      expect(await again.json()).toMatchObject({ outcome: "already_recorded" });
    });

    it("a signed payment_intent.canceled voids what the ledger still thinks is open", async () => {
      const payment = await pendingPayment("canceled-1");
      const payload = intentEvent("payment_intent.canceled", payment.id);
      expect(await (await post(payload, signed(payload))).json()).toMatchObject({ outcome: "applied" });
      expect(await status(payment.id)).toBe("voided");
    });

    it("an event type the ledger does not track, or an intent we did not make, is taken (200) and ignored", async () => {
      const payment = await pendingPayment("ignored-1");
      const other = intentEvent("payment_intent.created", payment.id);
      expect(await (await post(other, signed(other))).json()).toMatchObject({ outcome: "ignored" });
      const foreign = intentEvent("payment_intent.canceled", "not-one-of-ours");
      expect(await (await post(foreign, signed(foreign))).json()).toMatchObject({ outcome: "ignored" });
      expect(await status(payment.id)).toBe("pending");
    });

    it("a bad, missing or replayed-body signature is refused with 400 and the ledger is left alone", async () => {
      const payment = await pendingPayment("forged-1");
      const payload = intentEvent("payment_intent.canceled", payment.id);
      const wrongSecret = await post(payload, signed(payload, "whsec_someone_else"));
      expect(wrongSecret.status).toBe(400);
      expect(await wrongSecret.json()).toMatchObject({ error: { code: "InvalidArgument", message: expect.stringMatching(/Stripe-Signature does not verify/) } });
      expect((await post(payload)).status).toBe(400);
      // The signature of one body does not carry over to another.
      const other = intentEvent("payment_intent.canceled", payment.id, { amount: 1 });
      expect((await post(other, signed(payload))).status).toBe(400);
      expect(await status(payment.id)).toBe("pending");
    });

    it("booking verifies the signature itself: a caller inside the mesh cannot forge an event either", async () => {
      const payment = await pendingPayment("mesh-1");
      const payload = intentEvent("payment_intent.canceled", payment.id);
      const clients = internalClients(grpcTransports({ catalog: "127.0.0.1:1", search: "127.0.0.1:1", booking: `127.0.0.1:${fixture.service.port}`, queue: "127.0.0.1:1" }));
      const forged = await clients.paymentEvents
        .recordProviderEvent({ payload: new TextEncoder().encode(payload), signature: signed(payload, "whsec_forger") })
        .catch((failure: unknown) => ConnectError.from(failure));
      expect((forged as ConnectError).code).toBe(Code.InvalidArgument);
      expect(await status(payment.id)).toBe("pending");
    });
  });
});
