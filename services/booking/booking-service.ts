import type { Knex } from "knex";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { authInterceptor } from "../shared/auth/auth-interceptor.js";
import type { TokenVerifier } from "../shared/auth/token-verifier.js";
import { databaseProbe } from "../shared/db/database-probe.js";
import type { DependencyProbe } from "../shared/health/dependency-monitor.js";
import type { ServiceDefinition } from "../shared/server/start-service.js";
import { createPostgresBookingStore } from "./adapters/postgres/postgres-booking-store.js";
import { createBookingReader } from "./domain/booking-reader.js";
import { bookingRoutes } from "./routes.js";

export interface BookingAdapters {
  db: Knex;
  verifyToken: TokenVerifier;
  probes?: DependencyProbe[];
}

export function bookingService(adapters: BookingAdapters): ServiceDefinition {
  const bookings = createBookingReader({ store: createPostgresBookingStore(adapters.db) });
  return {
    name: "booking",
    serviceNames: [BookingService.typeName],
    routes: bookingRoutes({ bookings }),
    interceptors: [authInterceptor(adapters.verifyToken)],
    probes: [databaseProbe(adapters.db), ...(adapters.probes ?? [])],
  };
}
