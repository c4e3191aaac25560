import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { RedisReservationStore } from "../../services/booking/adapters/redis/redis-reservation-store.js";
import { SimulatedPaymentProvider } from "../../services/booking/adapters/payments/simulated-payment-provider.js";
import { bookingService, type BookingServiceParts } from "../../services/booking/booking-service.js";
import type { FaultHooks } from "../../services/booking/domain/booking-ports.js";
import type { PaymentProvider } from "../../services/booking/domain/payment-provider.js";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier, type AuthSettings } from "../../services/shared/auth/token-verifier.js";
import { BreakerGuardedHolds } from "../../services/shared/holds/breaker-guarded-holds.js";
import { RedlockTicketHolds } from "../../services/shared/holds/redlock-ticket-holds.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { closeRedisClients, createRedisClients } from "../../services/shared/redis/redis-clients.js";
import { startService, type StartedService } from "../../services/shared/server/start-service.js";
import { InProcessTicketStatusBus } from "../../services/shared/ticket-events/in-process-ticket-status-bus.js";
import { createTestDatabase, type TestDatabase } from "../support/real-services.js";
import { startRedisNodes, type RedisNodes } from "../support/redis-nodes-fixture.js";

const auth: AuthSettings = { mode: "dev", devSecret: "booking-test-secret-0123456789", issuer: "boxoffice-dev", audience: "boxoffice" };

export interface BookingFixtureOptions {
  holdTtlMs?: number;
  payments?: PaymentProvider;
  faults?: FaultHooks;
  breakerResetMs?: number;
}

/** A booking service on real PostgreSQL and its own three Redis masters, reached over gRPC. */
export interface BookingFixture {
  database: TestDatabase;
  redis: RedisNodes;
  provider: SimulatedPaymentProvider;
  booking: BookingServiceParts;
  service: StartedService;
  client: Client<typeof BookingService>;
  eventId: string;
  /** Available tickets of one event, in a stable order. */
  ticketIds: string[];
  as(userId: string): Promise<{ headers: Headers }>;
  close(): Promise<void>;
}

export async function startBookingFixture(options: BookingFixtureOptions = {}): Promise<BookingFixture> {
  const database = await createTestDatabase({ poolMax: 20 });
  await seedDemoData(database.db, { events: 3 });
  const redis = await startRedisNodes(3);
  const lockNodes = createRedisClients(redis.urls);
  const provider = new SimulatedPaymentProvider();
  const logger = createLogger("booking-test", "silent");
  const booking = bookingService({
    db: database.db,
    holds: new BreakerGuardedHolds(new RedlockTicketHolds(lockNodes), { timeoutMs: 1_000, resetTimeoutMs: options.breakerResetMs ?? 500 }),
    reservations: new RedisReservationStore(lockNodes),
    payments: options.payments ?? provider,
    bus: new InProcessTicketStatusBus(),
    verifyToken: createTokenVerifier(auth),
    settings: { holdTtlMs: options.holdTtlMs ?? 60_000, maxTicketsPerOrder: 8, idempotencyWaitMs: 10_000 },
    recovery: { graceMs: 0, intervalMs: 3_600_000 },
    logger,
    faults: options.faults,
  });
  const service = await startService(booking.definition, { host: "127.0.0.1", port: 0 }, logger);
  const client = createClient(BookingService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.port}` }));
  const [event] = await database.db("events").where("starts_at", ">", new Date()).orderBy("starts_at").select("id").limit(1);
  const tickets = await database.db("tickets").where({ event_id: event.id }).orderBy("id").select("id");
  const issue = createDevTokenIssuer(auth);
  return {
    database,
    redis,
    provider,
    booking,
    service,
    client,
    eventId: event.id,
    ticketIds: tickets.map((ticket) => ticket.id as string),
    async as(userId) {
      return { headers: new Headers({ authorization: `Bearer ${await issue(userId)}` }) };
    },
    async close() {
      await service.close(1_000);
      await closeRedisClients(lockNodes);
      await redis.close();
      await database.drop();
    },
  };
}

export const card = (cardNumber = "4242424242424242") => ({ cardNumber, expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Test Buyer" });
