import { Redis } from "ioredis";
import { RedisCache } from "../shared/cache/redis-cache.js";
import { authSettings } from "../shared/auth/auth-settings.js";
import { createTokenVerifier } from "../shared/auth/token-verifier.js";
import { closeDatabase } from "../shared/db/database.js";
import { BreakerGuardedHolds } from "../shared/holds/breaker-guarded-holds.js";
import { RedisTicketHolds } from "../shared/holds/redis-ticket-holds.js";
import { closeRedisClients, createRedisClients } from "../shared/redis/redis-clients.js";
import { redisNodesProbe } from "../shared/redis/redis-probe.js";
import { runMain } from "../shared/server/run-main.js";
import { startService } from "../shared/server/start-service.js";
import { RedisTicketStatusBus } from "../shared/ticket-events/redis-ticket-status-bus.js";
import { HoldRecordReservationStore } from "./adapters/holds/hold-record-reservation-store.js";
import { paymentProviderFromSettings } from "./adapters/payments/payment-provider-from-settings.js";
import { tracedPaymentProvider } from "./adapters/payments/traced-payment-provider.js";
import { tracedTicketHolds } from "../shared/holds/traced-ticket-holds.js";
import { createMetrics } from "../shared/metrics/metrics.js";
import { bookingMetrics } from "./booking-metrics.js";
import { bookingService } from "./booking-service.js";
import { bookingDatabase, bookingSettings, loadBookingConfig } from "./config.js";
import { admissionCheck } from "./admission-check.js";
import { paymentSettings } from "./payment-config.js";

runMain("booking", async (logger) => {
  const config = loadBookingConfig();
  // The booking path, recovery and the refund worker share this pool and its session bounds.
  const db = bookingDatabase(config);
  const lockNodes = createRedisClients(config.REDIS_LOCK_URLS);
  const busUrl = config.REDIS_URL ?? config.REDIS_LOCK_URLS[0]!;
  const [publisher, subscriber] = [new Redis(busUrl, { maxRetriesPerRequest: 1 }), new Redis(busUrl)];
  // Unheard, ioredis prints every failed reconnect to stderr as an unhandled error event while
  // the node is down (a chaos run's Redis restart showed it); the bus reconnects by itself.
  for (const client of [publisher, subscriber]) client.on("error", (error: Error) => logger.warn({ err: error.message }, "seat-status bus: Redis connection failed; reconnecting"));
  const metrics = createMetrics("booking");
  const domainMetrics = bookingMetrics(metrics.registry);
  const holds = tracedTicketHolds(new BreakerGuardedHolds(
    new RedisTicketHolds(lockNodes),
    { timeoutMs: config.BOOKING_LOCK_TIMEOUT_MS, resetTimeoutMs: config.BOOKING_LOCK_BREAKER_RESET_MS },
    (state) => {
      domainMetrics.lockStoreChanged(state);
      logger.warn({ breaker: state }, "lock-store circuit breaker changed state");
    },
  ), lockNodes.length);
  const payment = paymentSettings(config);
  const { provider, readEvent } = paymentProviderFromSettings(payment, db);
  logger.info({ paymentProvider: provider.name }, "payment provider chosen");
  const booking = bookingService({
    db,
    holds,
    reservations: new HoldRecordReservationStore(holds),
    payments: tracedPaymentProvider(provider),
    paymentMeans: payment.means,
    readPaymentEvent: readEvent,
    bus: new RedisTicketStatusBus(publisher, subscriber),
    verifyToken: createTokenVerifier(authSettings(config)),
    settings: bookingSettings(config),
    recovery: {
      graceMs: config.BOOKING_RECOVERY_GRACE_SECONDS * 1000,
      intervalMs: config.BOOKING_RECOVERY_INTERVAL_SECONDS * 1000,
      maxCaptureAttempts: config.BOOKING_CAPTURE_MAX_ATTEMPTS,
    },
    logger,
    // Not critical: without a lock quorum booking degrades to direct database sales.
    probes: [redisNodesProbe(lockNodes, false)],
    pageTokenSecret: config.PAGE_TOKEN_SECRET,
    metrics: domainMetrics,
    // The catalog keeps its event cache on REDIS_URL too, where this bus is.
    catalogCache: new RedisCache(publisher),
    admission: admissionCheck(config, logger),
  });
  const service = await startService(booking.definition, { port: config.BOOKING_PORT, adminPort: config.BOOKING_ADMIN_PORT }, logger, metrics);
  const stopRecovery = booking.startRecovery();
  return {
    async close() {
      stopRecovery();
      await service.close();
      await Promise.all([closeDatabase(db), closeRedisClients([...lockNodes, publisher, subscriber])]);
    },
  };
});
