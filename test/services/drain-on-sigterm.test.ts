import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { bearer, grpcJs } from "../support/grpc-js-clients.js";
import { whereOnSale } from "../support/on-sale-events.js";
import { createTestDatabase, postgresAvailable, redisAvailable, redisLockUrls, requireService, type TestDatabase } from "../support/real-services.js";
import { eventually, freePort, spawnEntryPoint, untilServing, type SpawnedService } from "../support/spawned-service.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable());

// A confirm waits for the simulated provider twice (authorize, then capture): a call that is
// certainly still in flight when SIGTERM arrives.
const PAYMENT_LATENCY_MS = 1_500;
const CARD = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" };

describe.skipIf(!ready)("SIGTERM drains the calls in flight and refuses new ones", () => {
  let database: TestDatabase;
  let booking: SpawnedService;
  let edge: SpawnedService;
  const ports: Record<string, number> = {};
  const devSecret = "drain-test-secret-0123456789abcdef";
  const issueToken = createDevTokenIssuer({ mode: "dev", devSecret, issuer: "boxoffice-dev", audience: "boxoffice" });
  const address = (name: string) => `127.0.0.1:${ports[name]}`;
  let freeTickets: string[] = [];
  let eventId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoData(database.db, { events: 6 });
    // An ordinary event: a hot one would send buyers through the waiting room first.
    const [event] = await whereOnSale(database.db("events")).where({ high_demand: false }).orderBy("starts_at").select("id").limit(1);
    eventId = event.id as string;
    freeTickets = (await database.db("tickets").where({ event_id: eventId }).orderBy("id").limit(2).select("id")).map((t) => t.id as string);
    for (const name of ["booking", "edge", "nothing"]) ports[name] = await freePort();
    booking = spawnEntryPoint("services/booking/main.ts", {
      DATABASE_URL: database.url,
      REDIS_LOCK_URLS: redisLockUrls().join(","),
      AUTH_DEV_SECRET: devSecret,
      BOOKING_PORT: String(ports.booking),
      BOOKING_ADMIN_PORT: "0",
      PAYMENTS_SIMULATED_LATENCY_MS: String(PAYMENT_LATENCY_MS),
    });
    // Only booking calls go through this edge; catalog and search point at a closed port.
    edge = spawnEntryPoint("services/edge/main.ts", {
      AUTH_DEV_SECRET: devSecret,
      PORT: String(ports.edge),
      EDGE_ADMIN_PORT: "0",
      CATALOG_SERVICE_ADDR: address("nothing"),
      SEARCH_SERVICE_ADDR: address("nothing"),
      BOOKING_SERVICE_ADDR: address("booking"),
    });
    await untilServing([address("booking")], address("edge"));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([booking?.stop(), edge?.stop()]);
    await database?.drop();
  });

  /**
   * Resolves once the booking service has recorded the payment (before it asks the provider):
   * the confirm is in flight there. The ledger may scope the key by user, hence the suffix match.
   */
  const paymentStarted = (idempotencyKey: string) =>
    eventually(async () => expect(await database.db("payments").whereLike("idempotency_key", `%${idempotencyKey}`).first()).toBeDefined(), 30_000, 25);

  const drainingLogged = (service: SpawnedService) => eventually(async () => expect(service.output()).toMatch(/"msg":"draining"/), 10_000, 25);

  it("the edge finishes a confirm in flight, refuses new connections and exits 0", async () => {
    const authorization = `Bearer ${await issueToken("drain-edge-buyer")}`;
    const post = (path: string, body: object) =>
      fetch(`http://${address("edge")}${path}`, { method: "POST", headers: { authorization, "content-type": "application/json" }, body: JSON.stringify(body) });
    const reserved = await post("/booking/reserve", { eventId, ticketIds: [freeTickets[0]] });
    expect(reserved.status).toBe(200);
    const { reservation } = (await reserved.json()) as { reservation: { id: string } };

    const confirming = post("/booking/confirm", { reservationId: reservation.id, idempotencyKey: "drain-edge-0001", paymentDetails: CARD });
    await paymentStarted("drain-edge-0001");
    edge.process.kill("SIGTERM");
    await drainingLogged(edge);

    await expect(fetch(`http://${address("edge")}/healthz`)).rejects.toThrow();
    const confirmed = await confirming;
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as { booking: { status: string } }).booking.status).toBe("BOOKING_STATUS_CONFIRMED");
    expect(await edge.exited).toBe(0);
  });

  it("booking finishes a confirm in flight, answers new calls UNAVAILABLE and exits 0", async () => {
    const metadata = bearer(await issueToken("drain-booking-buyer"));
    const client = grpcJs.booking(address("booking"));
    try {
      const { reservation } = await client.reserveTickets({ event_id: eventId, ticket_ids: [freeTickets[1]] }, metadata);
      const confirming = client.confirmBooking(
        { reservation_id: reservation.id, idempotency_key: "drain-booking-0001", payment_details: { card_number: CARD.cardNumber, exp_month: 12, exp_year: 2030, cvc: "123" } },
        metadata,
      );
      await paymentStarted("drain-booking-0001");
      booking.process.kill("SIGTERM");
      await drainingLogged(booking);

      const newcomer = grpcJs.booking(address("booking"));
      try {
        await expect(newcomer.listMyBookings({}, metadata)).rejects.toMatchObject({ code: 14 });
      } finally {
        newcomer.close();
      }
      const { booking: confirmed } = await confirming;
      expect(confirmed.status).toBe("BOOKING_STATUS_CONFIRMED");
      expect(await booking.exited).toBe(0);
      const sold = await database.db("tickets").whereIn("id", freeTickets).select("status");
      expect(sold.map((ticket) => ticket.status)).toEqual(["booked", "booked"]);
    } finally {
      client.close();
    }
  });
});
