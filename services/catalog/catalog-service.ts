import type { Knex } from "knex";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { authInterceptor } from "../shared/auth/auth-interceptor.js";
import type { TokenVerifier } from "../shared/auth/token-verifier.js";
import type { HoldReader } from "../shared/holds/ticket-holds.js";
import type { DependencyProbe } from "../shared/health/dependency-monitor.js";
import type { ServiceDefinition } from "../shared/server/start-service.js";
import { createPostgresEventStore } from "./adapters/postgres/postgres-event-store.js";
import { createEventReader } from "./domain/event-reader.js";
import { catalogRoutes } from "./routes.js";
import { databaseProbe } from "../shared/db/database-probe.js";

export interface CatalogAdapters {
  db: Knex;
  holds: HoldReader;
  verifyToken: TokenVerifier;
  /** Extra probes, e.g. the lock nodes (not critical: the view degrades without them). */
  probes?: DependencyProbe[];
}

/** Wires the catalog's domain to its adapters; shared by its own main and the embedded platform. */
export function catalogService(adapters: CatalogAdapters): ServiceDefinition {
  const events = createEventReader({ store: createPostgresEventStore(adapters.db), holds: adapters.holds });
  return {
    name: "catalog",
    serviceNames: [CatalogService.typeName],
    routes: catalogRoutes({ events }),
    interceptors: [authInterceptor(adapters.verifyToken)],
    probes: [databaseProbe(adapters.db), ...(adapters.probes ?? [])],
  };
}

