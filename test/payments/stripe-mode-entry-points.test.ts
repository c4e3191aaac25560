import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresPaymentLedger } from "../../services/booking/adapters/postgres/postgres-payment-ledger.js";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { whereOnSale } from "../support/on-sale-events.js";
import { createTestDatabase, postgresAvailable, redisAvailable, redisLockUrls, requireService, type TestDatabase } from "../support/real-services.js";
import { freePort, spawnEntryPoint, untilServing, type SpawnedService } from "../support/spawned-service.js";
import { stripeMockReady, stripeMockUrl } from "./stripe-mock.js";

/*
 * booking/main.ts and edge/main.ts as an image runs them, configured for Stripe by environment
 * alone: what the other suites wire by hand, this one proves the entry points wire from config.
 */
const ready =
  requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable()) && (await stripeMockReady());

const WEBHOOK_SECRET = "whsec_entrypoints_0123456789";

describe.skipIf(!ready)("the entry points in Stripe mode", () => {
  let database: TestDatabase;
  const processes: SpawnedService[] = [];
  let edge: string;
  let ticketIds: string[] = [];
  let eventId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoData(database.db, { events: 3 });
    const [event] = await whereOnSale(database.db("events")).where({ high_demand: false }).orderBy("starts_at").select("id").limit(1);
    eventId = event.id;
    ticketIds = (await database.db("tickets").where({ event_id: eventId }).orderBy("id").limit(2).select("id")).map((row) => row.id as string);
    const [bookingPort, edgePort] = [await freePort(), await freePort()];
    const devSecret = "entrypoints-test-secret-0123456789";
    processes.push(
      spawnEntryPoint("services/booking/main.ts", {
        DATABASE_URL: database.url,
        REDIS_LOCK_URLS: redisLockUrls().join(","),
        AUTH_DEV_SECRET: devSecret,
        BOOKING_PORT: String(bookingPort),
        BOOKING_ADMIN_PORT: "0",
        PAYMENTS_PROVIDER: "stripe",
        STRIPE_SECRET_KEY: "sk_test_entrypoints",
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_BASE_URL: stripeMockUrl(),
      }),
      spawnEntryPoint("services/edge/main.ts", {
        AUTH_DEV_SECRET: devSecret,
        PORT: String(edgePort),
        EDGE_ADMIN_PORT: "0",
        BOOKING_SERVICE_ADDR: `127.0.0.1:${bookingPort}`,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
    );
    edge = `127.0.0.1:${edgePort}`;
    await untilServing([`127.0.0.1:${bookingPort}`], edge);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await database?.drop();
  });

  const token = async (userId: string) => ((await (await fetch(`http://${edge}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId }) })).json()) as { token: string }).token;
  const confirm = async (userId: string, body: Record<string, unknown>) =>
    fetch(`http://${edge}/booking/confirm`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token(userId)}` },
      body: JSON.stringify({ eventId, ...body }),
    });

  it("POST /booking/confirm with a payment method id books through Stripe; with card data it is a 400 saying what to send", async () => {
    const paid = await confirm("dora", { ticketIds: [ticketIds[0]], paymentDetails: { paymentMethodId: "pm_card_visa" }, idempotencyKey: "entry-ok-1" });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ booking: { status: "BOOKING_STATUS_CONFIRMED" } });
    expect(await database.db("payments").where({ user_id: "dora", idempotency_key: "entry-ok-1" }).first()).toMatchObject({ status: "captured", provider_payment_id: expect.stringMatching(/^pi_/) });

    const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" };
    const refused = await confirm("dora", { ticketIds: [ticketIds[1]], paymentDetails: card, idempotencyKey: "entry-card-1" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { message: expect.stringMatching(/card data is not accepted here/), details: { field: "paymentDetails.cardNumber" } } });
  });

  it("POST /webhooks/stripe moves the ledger for a signed event and refuses an unsigned one", async () => {
    const payment = (await createPostgresPaymentLedger(database.db, "stripe").begin({ userId: "erin", idempotencyKey: "erin:hook-1", amountMinor: 100, currency: "USD", ticketIds: [ticketIds[1]!], reservationId: null }))!;
    const payload = JSON.stringify({ id: "evt_entry_1", object: "event", type: "payment_intent.canceled", data: { object: { id: "pi_hook_1", object: "payment_intent", metadata: { boxoffice_payment_id: payment.id } } } });
    const post = (headers: Record<string, string>) => fetch(`http://${edge}/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: payload });
    expect((await post({})).status).toBe(400);
    const answer = await post({ "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ received: true, eventId: "evt_entry_1", outcome: "applied" });
    expect(await database.db("payments").where({ id: payment.id }).first()).toMatchObject({ status: "voided", provider_payment_id: "pi_hook_1", failure_reason: "canceled_at_provider" });
  });
});
