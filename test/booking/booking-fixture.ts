import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { Redis } from "ioredis";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { HoldRecordReservationStore } from "../../services/booking/adapters/holds/hold-record-reservation-store.js";
import { SimulatedPaymentProvider } from "../../services/booking/adapters/payments/simulated-payment-provider.js";
import type { BookingMetrics } from "../../services/booking/booking-metrics.js";
import { bookingService, type BookingAdapters, type BookingServiceParts } from "../../services/booking/booking-service.js";
import type { BookingSettings, FaultHooks, ReservationStore } from "../../services/booking/domain/booking-ports.js";
import type { PaymentProvider } from "../../services/booking/domain/payment-provider.js";
import type { RefundFaultHooks } from "../../services/booking/domain/refund-ports.js";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier, type AuthSettings } from "../../services/shared/auth/token-verifier.js";
import { BreakerGuardedHolds } from "../../services/shared/holds/breaker-guarded-holds.js";
import { createRedisQuorumHoldReader } from "../../services/shared/holds/redis-quorum-hold-reader.js";
import { RedisTicketHolds } from "../../services/shared/holds/redis-ticket-holds.js";
import type { HoldReader } from "../../services/shared/holds/ticket-holds.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { closeRedisClients, createRedisClients } from "../../services/shared/redis/redis-clients.js";
import { startService, type StartedService } from "../../services/shared/server/start-service.js";
import { InProcessTicketStatusBus } from "../../services/shared/ticket-events/in-process-ticket-status-bus.js";
import { whereOnSale } from "../support/on-sale-events.js";
import type { AdmissionVerifier } from "../../services/shared/admission/admission-verifier.js";
import { createTestDatabase, type TestDatabase } from "../support/real-services.js";
import { startRedisNodes, type RedisNodes } from "../support/redis-nodes-fixture.js";

const auth: AuthSettings = { mode: "dev", devSecret: "booking-test-secret-0123456789", issuer: "boxoffice-dev", audience: "boxoffice" };

export interface BookingInstanceOptions {
  holdTtlMs?: number;
  /** Lets a test wrap the fixture's simulated provider, e.g. to slow one buyer's card network. */
  payments?: (provider: SimulatedPaymentProvider) => PaymentProvider;
  faults?: FaultHooks & RefundFaultHooks;
  /** BOOKING_LOCK_TIMEOUT_MS: how long a caller waits for the lock nodes (a slower call degrades it; the breaker judges how the call really ends). */
  lockTimeoutMs?: number;
  breakerResetMs?: number;
  idempotencyWaitMs?: number;
  recoveryGraceMs?: number;
  /** BOOKING_CAPTURE_MAX_ATTEMPTS of the instance's recovery worker. */
  maxCaptureAttempts?: number;
  /** The domain metrics the instance records, as main.ts passes them. */
  metrics?: BookingMetrics;
  /** BOOKING_CONFIRM_DEADLINE_MS and BOOKING_PAYMENT_TIMEOUT_MS. */
  confirmDeadlineMs?: number;
  paymentTimeoutMs?: number;
  /** Lets a test put a gate in front of the reservation store, to order concurrent requests. */
  reservations?: (store: ReservationStore) => ReservationStore;
  /** Checks the waiting room's admissions for high-demand events. */
  admission?: AdmissionVerifier;
  /** What the provider takes and how its webhook events are read (Stripe mode's wiring). */
  paymentWiring?: Pick<BookingAdapters, "paymentMeans" | "readPaymentEvent">;
}

/** One booking service process, as main.ts wires it, on the given database and lock nodes. */
export interface BookingInstance {
  booking: BookingServiceParts;
  holds: BreakerGuardedHolds;
  settings: BookingSettings;
  service: StartedService;
  client: Client<typeof BookingService>;
  /** Where the instance publishes ticket status changes, as live seat maps receive them. */
  bus: InProcessTicketStatusBus;
  close(): Promise<void>;
}

export async function startBookingInstance(
  database: TestDatabase,
  lockNodes: readonly Redis[],
  provider: SimulatedPaymentProvider,
  options: BookingInstanceOptions = {},
): Promise<BookingInstance> {
  const logger = createLogger("booking-test", "silent");
  const holds = new BreakerGuardedHolds(new RedisTicketHolds(lockNodes), {
    timeoutMs: options.lockTimeoutMs ?? 1_000,
    resetTimeoutMs: options.breakerResetMs ?? 500,
  });
  const store = new HoldRecordReservationStore(holds);
  const settings = {
    holdTtlMs: options.holdTtlMs ?? 60_000,
    maxTicketsPerOrder: 8,
    idempotencyWaitMs: options.idempotencyWaitMs ?? 10_000,
    confirmDeadlineMs: options.confirmDeadlineMs ?? 30_000,
    paymentTimeoutMs: options.paymentTimeoutMs ?? 10_000,
  };
  const bus = new InProcessTicketStatusBus();
  const booking = bookingService({
    db: database.db,
    holds,
    reservations: options.reservations ? options.reservations(store) : store,
    payments: options.payments ? options.payments(provider) : provider,
    bus,
    verifyToken: createTokenVerifier(auth),
    settings,
    recovery: { graceMs: options.recoveryGraceMs ?? 0, intervalMs: 3_600_000, maxCaptureAttempts: options.maxCaptureAttempts ?? 20 },
    logger,
    faults: options.faults,
    metrics: options.metrics,
    ...options.paymentWiring,
    admission: options.admission,
  });
  const service = await startService(booking.definition, { host: "127.0.0.1", port: 0 }, logger);
  const client = createClient(BookingService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.port}` }));
  let closed: Promise<void> | undefined;
  return { booking, holds, settings, service, client, bus, close: () => (closed ??= service.close(1_000)) };
}

/** A booking service on real PostgreSQL and its own three Redis masters, reached over gRPC. */
export interface BookingFixture extends BookingInstance {
  database: TestDatabase;
  redis: RedisNodes;
  lockNodes: Redis[];
  /** Holds as a quorum of the lock nodes sees them, independent of the service. */
  holdReader: HoldReader;
  provider: SimulatedPaymentProvider;
  eventId: string;
  /** Available tickets of one event on sale, in a stable order. */
  ticketIds: string[];
  /** Call options signed as this user (with these roles, e.g. ["admin"]). */
  as(userId: string, roles?: string[]): Promise<{ headers: Headers }>;
  /** Stops the booking service alone (as a crash would), leaving database, nodes and provider. */
  stopService(): Promise<void>;
  /** The ledger row of one user's idempotency key. */
  ledgerRow(userId: string, idempotencyKey: string): Promise<Record<string, any> | undefined>;
}

export async function startBookingFixture(options: BookingInstanceOptions = {}): Promise<BookingFixture> {
  const database = await createTestDatabase({ poolMax: 20 });
  await seedDemoData(database.db, { events: 3 });
  const redis = await startRedisNodes(3);
  const lockNodes = createRedisClients(redis.urls);
  const provider = new SimulatedPaymentProvider(database.db);
  const instance = await startBookingInstance(database, lockNodes, provider, options);
  const [event] = await whereOnSale(database.db("events")).where({ high_demand: false }).orderBy("starts_at").select("id").limit(1);
  const tickets = await database.db("tickets").where({ event_id: event.id }).orderBy("id").select("id");
  const issue = createDevTokenIssuer(auth);
  return {
    ...instance,
    database,
    redis,
    lockNodes,
    holdReader: createRedisQuorumHoldReader(lockNodes),
    provider,
    eventId: event.id,
    ticketIds: tickets.map((ticket) => ticket.id as string),
    async as(userId, roles) {
      return { headers: new Headers({ authorization: `Bearer ${await issue(userId, roles)}` }) };
    },
    stopService: instance.close,
    ledgerRow: (userId, idempotencyKey) => database.db("payments").where({ user_id: userId, idempotency_key: idempotencyKey }).first(),
    async close() {
      await instance.close();
      await closeRedisClients(lockNodes);
      await redis.close();
      await database.drop();
    },
  };
}

export const card = (cardNumber = "4242424242424242") => ({ cardNumber, expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Test Buyer" });

/** How a call ended: "ok", or the ConnectError it failed with. */
export async function outcomeOf(call: Promise<unknown>): Promise<"ok" | ConnectError> {
  try {
    await call;
    return "ok";
  } catch (error) {
    return ConnectError.from(error);
  }
}

/** A refusal's code, message and details, for one assertion. */
export async function refusalOf(call: Promise<unknown>) {
  const outcome = await outcomeOf(call);
  if (outcome === "ok") throw new Error("the call succeeded");
  return { code: outcome.code, message: outcome.rawMessage, details: errorDetailsOf(outcome) };
}

/** The gRPC code a call ended with, or "ok". */
export async function codeOf(call: Promise<unknown>): Promise<Code | "ok"> {
  const outcome = await outcomeOf(call);
  return outcome === "ok" ? "ok" : outcome.code;
}
