/**
 * A server process answering grpc.health.v1.Health/Check, the empty RPC every figure is set
 * beside, with the standard interceptors of every service (logs, metrics, validation):
 *   node --import tsx bench/support/empty-rpc-server.ts grpc-js|connect-node
 * Prints {"port": N} once listening.
 */
import { HealthRegistry } from "../../services/shared/health/health-registry.js";
import { healthRoutes } from "../../services/shared/health/health-routes.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { createMetrics } from "../../services/shared/metrics/metrics.js";
import { standardInterceptors } from "../../services/shared/rpc/interceptors.js";
import { startGrpcServer } from "../../services/shared/server/grpc-server.js";
import { startConnectNodeServer } from "./connect-node-reference-server.js";

const mode = process.argv[2];
const logger = createLogger("empty-rpc", "warn");
const routes = healthRoutes(new HealthRegistry(["boxoffice.booking.v1.BookingService"], "SERVING"));
const interceptors = standardInterceptors(logger, createMetrics("empty_rpc"));
const server =
  mode === "connect-node"
    ? await startConnectNodeServer(routes, interceptors)
    : mode === "grpc-js"
      ? await startGrpcServer({ name: "empty-rpc", host: "127.0.0.1", port: 0, routes: [routes], interceptors, logger })
      : undefined;
if (!server) throw new Error("usage: empty-rpc-server.ts grpc-js|connect-node");
console.log(JSON.stringify({ port: server.port }));
process.on("SIGTERM", () => process.exit(0));
