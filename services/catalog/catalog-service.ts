import type { Knex } from "knex";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { authInterceptor } from "../shared/auth/auth-interceptor.js";
import type { TokenVerifier } from "../shared/auth/token-verifier.js";
import type { Registry } from "prom-client";
import type { Cache } from "../shared/cache/cache.js";
import { observedCache } from "../shared/cache/observed-cache.js";
import { databaseProbe } from "../shared/db/database-probe.js";
import type { DependencyProbe } from "../shared/health/dependency-monitor.js";
import type { HoldReader } from "../shared/holds/ticket-holds.js";
import type { ServiceDefinition } from "../shared/server/start-service.js";
import type { TicketStatusBus } from "../shared/ticket-events/ticket-status-bus.js";
import { intervalTicker } from "./adapters/interval-ticker.js";
import { createPostgresCatalogAdminStore } from "./adapters/postgres/postgres-catalog-admin-store.js";
import { createPostgresEventStore } from "./adapters/postgres/postgres-event-store.js";
import { createCatalogAdmin } from "./domain/catalog-admin.js";
import { createEventReader } from "./domain/event-reader.js";
import { createStadiumView } from "./domain/stadium-view.js";
import { createTicketWatches, type Ticker } from "./domain/ticket-watch.js";
import { catalogRoutes } from "./routes.js";

export interface CatalogSettings {
  eventCacheTtlMs: number;
  /** How late an expired hold may show in a live seat map. */
  watchPollIntervalMs: number;
  /** How late a reservation whose message was lost may show. */
  watchHoldScanIntervalMs: number;
  /** How late a booking whose message was lost may show. */
  watchResyncIntervalMs: number;
  /** How old a stadium view's layout and availability may be when served (GetEventLayout, GetEventAvailability). */
  stadiumViewMaxAgeMs: number;
}

export const DEFAULT_CATALOG_SETTINGS: CatalogSettings = {
  eventCacheTtlMs: 300_000,
  watchPollIntervalMs: 1_000,
  watchHoldScanIntervalMs: 5_000,
  watchResyncIntervalMs: 30_000,
  stadiumViewMaxAgeMs: 1_000,
};

export interface CatalogAdapters {
  db: Knex;
  holds: HoldReader;
  /** The event's static part: Redis across replicas, in process in the embedded default. */
  cache: Cache;
  /** Booking publishes ticket status changes here; watchers of every replica receive them. */
  ticketStatusBus: TicketStatusBus;
  verifyToken: TokenVerifier;
  settings?: Partial<CatalogSettings>;
  ticker?: Ticker;
  now?: () => Date;
  /** Extra probes, e.g. the lock nodes (not critical: the view degrades without them). */
  probes?: DependencyProbe[];
  /** The process's Prometheus registry, for the event cache's hit ratio. */
  metricsRegistry?: Registry;
}

export interface CatalogServiceDefinition extends ServiceDefinition {
  /** Ends every WatchEventTickets stream normally; call while draining. */
  endStreams(): void;
}

/** Wires the catalog's domain to its adapters; shared by its own main and the embedded platform. */
export function catalogService(adapters: CatalogAdapters): CatalogServiceDefinition {
  const settings = { ...DEFAULT_CATALOG_SETTINGS, ...adapters.settings };
  const everyPolls = (intervalMs: number) => Math.max(1, Math.round(intervalMs / settings.watchPollIntervalMs));
  const store = createPostgresEventStore(adapters.db);
  const eventCache = adapters.metricsRegistry ? observedCache(adapters.cache, "catalog_event", adapters.metricsRegistry) : adapters.cache;
  const events = createEventReader({ store, holds: adapters.holds, cache: eventCache, cacheTtlMs: settings.eventCacheTtlMs });
  const watches = createTicketWatches({
    tickets: async (eventId) => (await events.staticPart(eventId)).tickets,
    store,
    holds: adapters.holds,
    bus: adapters.ticketStatusBus,
    ticker: adapters.ticker ?? intervalTicker,
    pollIntervalMs: settings.watchPollIntervalMs,
    holdScanEveryPolls: everyPolls(settings.watchHoldScanIntervalMs),
    resyncEveryPolls: everyPolls(settings.watchResyncIntervalMs),
  });
  const now = adapters.now ?? (() => new Date());
  const stadium = createStadiumView({
    staticPart: events.staticPart,
    store,
    holds: adapters.holds,
    now: () => now().getTime(),
    maxAgeMs: settings.stadiumViewMaxAgeMs,
  });
  const admin = createCatalogAdmin({
    store: createPostgresCatalogAdminStore(adapters.db),
    holds: adapters.holds,
    cache: adapters.cache,
    now,
  });
  return {
    name: "catalog",
    serviceNames: [CatalogService.typeName],
    routes: catalogRoutes({ events, watches, admin, stadium }),
    interceptors: [authInterceptor(adapters.verifyToken)],
    probes: [databaseProbe(adapters.db), ...(adapters.probes ?? [])],
    endStreams: () => watches.endAll(),
  };
}
