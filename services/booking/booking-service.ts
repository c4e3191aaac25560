import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import type { Cache } from "../shared/cache/cache.js";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { PaymentEventsService } from "../../gen/boxoffice/booking/internal/v1/payment_events_pb.js";
import { authInterceptor } from "../shared/auth/auth-interceptor.js";
import type { TokenVerifier } from "../shared/auth/token-verifier.js";
import { databaseProbe } from "../shared/db/database-probe.js";
import type { DependencyProbe } from "../shared/health/dependency-monitor.js";
import type { TicketHolds } from "../shared/holds/ticket-holds.js";
import type { Logger } from "../shared/logging/logger.js";
import type { ServiceDefinition } from "../shared/server/start-service.js";
import type { TicketStatusBus } from "../shared/ticket-events/ticket-status-bus.js";
import { createPostgresBookingStore } from "./adapters/postgres/postgres-booking-store.js";
import { createPostgresPaymentLedger } from "./adapters/postgres/postgres-payment-ledger.js";
import { createPostgresTicketInventory } from "./adapters/postgres/postgres-ticket-inventory.js";
import type { BookingSettings, FaultHooks, ReservationStore } from "./domain/booking-ports.js";
import type { RefundFaultHooks } from "./domain/refund-ports.js";
import { createBookingReader } from "./domain/booking-reader.js";
import { boundedPaymentProvider } from "./domain/bounded-payment-provider.js";
import { createConfirmBooking } from "./domain/confirm-booking.js";
import type { PaymentProvider } from "./domain/payment-provider.js";
import { createPaymentRecovery } from "./domain/payment-recovery.js";
import { createReleaseReservation } from "./domain/release-reservation.js";
import { createReserveTickets } from "./domain/reserve-tickets.js";
import { createPurchaseAllowance } from "./domain/buyer-holds.js";
import { bookingRoutes } from "./routes.js";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "../shared/paging/page-tokens.js";
import type { BookingMetrics } from "./booking-metrics.js";
import { withRecentSaleEvents } from "./adapters/cache/recent-sale-events.js";
import type { PaymentMeans } from "./domain/payment-means.js";
import { createProviderEventRecorder } from "./domain/provider-payment-events.js";
import { paymentEventsRoutes, type PaymentEventsDeps } from "./payment-events-handlers.js";
import { createRefunds } from "./refunds-wiring.js";
import { createAdmissionGate, type AdmissionCheck } from "./domain/admission-gate.js";

export interface BookingAdapters {
  db: Knex;
  holds: TicketHolds;
  reservations: ReservationStore;
  payments: PaymentProvider;
  /** What the provider takes from the buyer: the card (simulator, the default) or a payment method id (Stripe). */
  paymentMeans?: PaymentMeans;
  /** Verifies and reads the provider's webhook events (Stripe); unset when it sends none. */
  readPaymentEvent?: PaymentEventsDeps["read"];
  bus: TicketStatusBus;
  verifyToken: TokenVerifier;
  settings: BookingSettings;
  recovery: { graceMs: number; intervalMs: number; maxCaptureAttempts: number };
  logger: Logger;
  faults?: FaultHooks & RefundFaultHooks;
  probes?: DependencyProbe[];
  /** Seals page tokens (PAGE_TOKEN_SECRET); every replica needs the same one. */
  pageTokenSecret?: string;
  /** The catalog's event cache: a cancelled event is dropped from it, so GetEvent shows it at once. */
  catalogCache?: Cache;
  /** The domain metrics (booking-metrics.ts), recorded when given. */
  metrics?: BookingMetrics;
  /** Checks the waiting room's admissions for high-demand events; without it they refuse every buyer. */
  admission?: AdmissionCheck;
}

export interface BookingServiceParts {
  definition: ServiceDefinition;
  recovery: ReturnType<typeof createPaymentRecovery>;
  /** Refunds of cancelled bookings; its worker pass runs with recovery's. */
  refunds: ReturnType<typeof createRefunds>["job"];
  /** Starts the periodic recovery pass (once now, then on the interval); returns a stopper. */
  startRecovery(): () => void;
}

/** Wires booking's domain to its adapters; shared by its own main and the embedded platform. */
export function bookingService(adapters: BookingAdapters): BookingServiceParts {
  const inventory = createPostgresTicketInventory(adapters.db);
  const ledger = createPostgresPaymentLedger(adapters.db, adapters.payments.name);
  const payments = boundedPaymentProvider(adapters.payments, adapters.settings.paymentTimeoutMs);
  const common = { holds: adapters.holds, reservations: adapters.reservations, publisher: adapters.bus, settings: adapters.settings, newId: randomUUID, admission: createAdmissionGate(adapters.admission) };
  const recovery = createPaymentRecovery({ ledger, payments, graceMs: adapters.recovery.graceMs, maxCaptureAttempts: adapters.recovery.maxCaptureAttempts });
  const { metrics } = adapters;
  const reserve = createReserveTickets({ ...common, inventory: withRecentSaleEvents(inventory, adapters.settings.reserveEventMemoryMs ?? 0) });
  const confirm = createConfirmBooking({ ...common, inventory, ledger, payments, faults: adapters.faults });
  const refunds = createRefunds({ ...adapters, payments });
  return {
    definition: {
      name: "booking",
      serviceNames: [BookingService.typeName, PaymentEventsService.typeName],
      routes: (router) => {
        bookingRoutes({
        bookings: createBookingReader({ store: createPostgresBookingStore(adapters.db), pageTokens: createPageTokens(adapters.pageTokenSecret ?? DEV_PAGE_TOKEN_SECRET, "bookings") }),
        reserve: metrics ? metrics.observeReserve(reserve) : reserve,
        confirm: metrics ? metrics.observeConfirm(confirm) : confirm,
        release: createReleaseReservation(common),
        allowance: createPurchaseAllowance({ holds: adapters.holds, inventory }),
        paymentMeans: adapters.paymentMeans ?? "card",
        cancellations: refunds.cancellations,
        })(router);
        paymentEventsRoutes({
          read: adapters.readPaymentEvent,
          record: createProviderEventRecorder({
            ledger,
            onCanceledAuthorization: (event) =>
              adapters.logger.error({ paymentId: event.paymentId, providerPaymentId: event.providerPaymentId }, "an authorization was cancelled at the provider before it was captured: if a booking stands on it, that booking is unpaid"),
          }),
          logger: adapters.logger,
        })(router);
      },
      interceptors: [authInterceptor(adapters.verifyToken)],
      probes: [databaseProbe(adapters.db), ...(adapters.probes ?? [])],
    },
    recovery,
    refunds: refunds.job,
    startRecovery() {
      const pass = async () => {
        try {
          // Refunds a crash left open are finished beside interrupted payments, on the same schedule.
          const repaired = (await recovery.runOnce()) + (await refunds.job.runOnce());
          if (repaired > 0) adapters.logger.info({ repaired }, "payment recovery repaired interrupted payments");
          // The backlog counts refunds still owed too: the same alert covers both.
          if (metrics) metrics.recoveryPassed(repaired, (await recovery.backlog()) + (await refunds.job.backlog()), await recovery.deadLetters());
        } catch (error) {
          metrics?.recoveryFailed();
          adapters.logger.warn({ err: error }, "payment recovery pass failed");
        }
      };
      void pass();
      const timer = setInterval(pass, adapters.recovery.intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
