import type { Knex } from "knex";
import { authSettings } from "../shared/auth/auth-settings.js";
import { createDevTokenIssuer } from "../shared/auth/dev-token-issuer.js";
import { createTokenVerifier } from "../shared/auth/token-verifier.js";
import { closeDatabase, createDatabase, migrateToLatest } from "../shared/db/database.js";
import { InMemoryTicketHolds } from "../shared/holds/in-memory-ticket-holds.js";
import { InProcessTicketStatusBus } from "../shared/ticket-events/in-process-ticket-status-bus.js";
import { InMemoryCache } from "../shared/cache/in-memory-cache.js";
import { HoldRecordReservationStore } from "../booking/adapters/holds/hold-record-reservation-store.js";
import { paymentProviderFromSettings } from "../booking/adapters/payments/payment-provider-from-settings.js";
import { paymentSettings } from "../booking/payment-config.js";
import { checkoutSettings } from "../edge/config.js";
import { tracedPaymentProvider } from "../booking/adapters/payments/traced-payment-provider.js";
import type { Logger } from "../shared/logging/logger.js";
import { startService, type StartedService } from "../shared/server/start-service.js";
import { seedDemoData } from "../catalog/demo/demo-seeder.js";
import { catalogService } from "../catalog/catalog-service.js";
import { searchService } from "../search/search-service.js";
import { bookingService } from "../booking/booking-service.js";
import { createEdge, type Edge } from "../edge/edge-server.js";
import { startAdminServer } from "../shared/metrics/admin-server.js";
import { grpcTransports, internalClients } from "../edge/internal-clients.js";
import { PLATFORM_RECOVERY_GRACE_SECONDS, type PlatformConfig } from "./config.js";
import { generateAdmissionSigningKey } from "../shared/admission/admission-keys.js";
import { createAdmissionVerifier } from "../shared/admission/admission-verifier.js";
import { queueService } from "../queue/queue-service.js";
import { createInMemoryQueueStore } from "../queue/adapters/memory/in-memory-queue-store.js";
import { createPostgresEventFacts } from "../queue/adapters/postgres/postgres-event-facts.js";
import { openDemoQueues } from "./demo-queues.js";

export interface EmbeddedPlatform {
  db: Knex;
  services: StartedService[];
  edge: Edge;
  edgePort: number;
  /** /metrics, /healthz, /readyz on 127.0.0.1. */
  adminPort: number;
  close(): Promise<void>;
}

/**
 * The whole platform in one process on nothing but Node.js: PGlite for PostgreSQL, holds in
 * process, PostgreSQL full-text search. The services are the same code as in production and
 * still talk gRPC to each other over loopback; only the adapters differ.
 */
export async function startEmbeddedPlatform(config: PlatformConfig, logger: Logger): Promise<EmbeddedPlatform> {
  const db = createDatabase({ kind: "pglite", dataDir: config.BOXOFFICE_DATA_DIR === "memory" ? undefined : config.BOXOFFICE_DATA_DIR });
  await migrateToLatest(db);
  const seeded = await seedDemoData(db, { events: config.DEMO_EVENTS });
  logger.info({ inserted: seeded }, "demo data ready");

  const auth = authSettings(config);
  const verifyToken = createTokenVerifier(auth);
  const holds = new InMemoryTicketHolds();
  const bus = new InProcessTicketStatusBus();
  const cache = new InMemoryCache();
  // One process: the admission keys are made at start and never leave it (booking checks them in process).
  const { key: admissionKey } = await generateAdmissionSigningKey();
  const queue = queueService({
    store: createInMemoryQueueStore(),
    events: createPostgresEventFacts(db, holds),
    signingKey: admissionKey,
    verifyToken,
    settings: { admissionTtlMs: config.QUEUE_ADMISSION_TTL_SECONDS * 1000, admitIntervalMs: 1_000, watchPollMs: 1_000 },
    logger: logger.child({ service: "queue" }),
  });
  // The simulator (its books in PGlite) unless PAYMENTS_PROVIDER=stripe.
  const payment = paymentSettings({ ...config, BOOKING_RECOVERY_GRACE_SECONDS: PLATFORM_RECOVERY_GRACE_SECONDS });
  const { provider, readEvent } = paymentProviderFromSettings(payment, db);
  const booking = bookingService({
    db,
    holds,
    reservations: new HoldRecordReservationStore(holds),
    payments: tracedPaymentProvider(provider),
    paymentMeans: payment.means,
    readPaymentEvent: readEvent,
    bus,
    verifyToken,
    settings: {
      holdTtlMs: config.BOOKING_HOLD_TTL_SECONDS * 1000,
      maxTicketsPerOrder: config.BOOKING_MAX_TICKETS_PER_ORDER,
      idempotencyWaitMs: 10_000,
      reserveEventMemoryMs: 1_000,
      // As the services' defaults (services/booking/config.ts), within the 120 s recovery grace below.
      confirmDeadlineMs: 30_000,
      paymentTimeoutMs: 10_000,
    },
    recovery: { graceMs: PLATFORM_RECOVERY_GRACE_SECONDS * 1000, intervalMs: 15_000, maxCaptureAttempts: 20 },
    logger: logger.child({ service: "booking" }),
    pageTokenSecret: config.PAGE_TOKEN_SECRET,
    catalogCache: cache,
    admission: createAdmissionVerifier({ jwks: admissionKey.jwks }),
  });
  const catalog = catalogService({ db, holds, verifyToken, cache, ticketStatusBus: bus });
  const listen = (port: number) => ({ host: "127.0.0.1", port });
  const services = [
    await startService(catalog, listen(config.CATALOG_PORT), logger.child({ service: "catalog" })),
    await startService(searchService({ db, pageTokenSecret: config.PAGE_TOKEN_SECRET }), listen(config.SEARCH_PORT), logger.child({ service: "search" })),
    await startService(booking.definition, listen(config.BOOKING_PORT), logger.child({ service: "booking" })),
    await startService(queue.definition, listen(config.QUEUE_PORT), logger.child({ service: "queue" })),
  ];
  const stopRecovery = booking.startRecovery();
  await openDemoQueues(db, queue.room, logger, config.QUEUE_DEMO_RATE_PER_MINUTE);
  const stopAdmission = queue.startWorker();
  const [catalogAddress, searchAddress, bookingAddress, queueAddress] = services.map((service) => `127.0.0.1:${service.port}`) as [string, string, string, string];
  const transports = grpcTransports({ catalog: catalogAddress, search: searchAddress, booking: bookingAddress, queue: queueAddress });
  const edge = await createEdge({
    clients: internalClients(transports),
    transports,
    logger: logger.child({ service: "edge" }),
    upstreamTimeoutMs: config.EDGE_UPSTREAM_TIMEOUT_MS,
    corsOrigins: config.EDGE_CORS_ORIGINS,
    bodyLimitBytes: config.EDGE_BODY_LIMIT_BYTES,
    verifyToken,
    rateLimits: { perIp: config.EDGE_RATE_LIMIT_PER_IP, perUser: config.EDGE_RATE_LIMIT_PER_USER, windowMs: config.EDGE_RATE_LIMIT_WINDOW_MS },
    streamCaps: { perIp: config.EDGE_STREAMS_PER_IP, perUser: config.EDGE_STREAMS_PER_USER },
    trustProxy: config.EDGE_TRUST_PROXY,
    webRoot: config.EDGE_WEB_ROOT,
    issueDevToken: config.AUTH_MODE === "dev" ? createDevTokenIssuer(auth) : undefined,
    checkout: checkoutSettings(config),
    stripeWebhookSecret: payment.provider === "stripe" ? payment.webhookSecret : undefined,
  });
  const address = await edge.app.listen({ port: config.PORT, host: config.HOST });
  const edgePort = Number(new URL(address).port);
  // Operator endpoints stay on loopback whatever HOST opens the edge to.
  const admin = await startAdminServer(config.ADMIN_PORT, edge.metrics, edge.health, "127.0.0.1");

  return {
    db,
    services,
    edge,
    edgePort,
    adminPort: admin.port,
    async close() {
      stopRecovery();
      stopAdmission();
      // Live seat-map and queue streams would otherwise hold the edge and the services open until their grace ends.
      catalog.endStreams();
      queue.endStreams();
      await edge.close();
      await admin.close();
      await Promise.all(services.map((service) => service.close()));
      await closeDatabase(db);
    },
  };
}
