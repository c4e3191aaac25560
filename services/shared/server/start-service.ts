import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import type { Logger } from "../logging/logger.js";
import { createMetrics, type ProcessMetrics } from "../metrics/metrics.js";
import { startAdminServer } from "../metrics/admin-server.js";
import { HealthRegistry } from "../health/health-registry.js";
import { healthRoutes } from "../health/health-routes.js";
import { monitorDependencies, type DependencyProbe } from "../health/dependency-monitor.js";
import { standardInterceptors } from "../rpc/interceptors.js";
import { startGrpcServer } from "./grpc-server.js";

export interface ServiceDefinition {
  /** Short name for logs and metrics, e.g. "catalog". */
  name: string;
  /** Fully-qualified gRPC service names served, reported by the health service. */
  serviceNames: readonly string[];
  routes: (router: ConnectRouter) => void;
  probes: readonly DependencyProbe[];
  /** Run after the standard interceptors' logging and error mapping, before validation. */
  interceptors?: Interceptor[];
  /** JSON documents served on the admin port beside /metrics, by path (e.g. the queue's JWKS). */
  adminDocuments?: Record<string, () => unknown>;
}

export interface ServiceListen {
  host?: string;
  port: number;
  /** Prometheus /metrics and HTTP probes; omitted in tests. */
  adminPort?: number;
}

export interface StartedService {
  name: string;
  port: number;
  health: HealthRegistry;
  metrics: ProcessMetrics;
  /** Reports NOT_SERVING, drains in-flight calls, stops the monitors. */
  close(graceMs?: number): Promise<void>;
}

/** Everything an internal service needs around its routes: health, metrics, logs, drain. */
export async function startService(
  definition: ServiceDefinition,
  listen: ServiceListen,
  logger: Logger,
  metrics: ProcessMetrics = createMetrics(definition.name),
): Promise<StartedService> {
  const health = new HealthRegistry(definition.serviceNames);
  const monitor = monitorDependencies(health, definition.probes, logger);
  await monitor.checkNow();
  const [observe, mapErrors, validate] = standardInterceptors(logger, metrics);
  const server = await startGrpcServer({
    name: definition.name,
    host: listen.host,
    port: listen.port,
    routes: [definition.routes, healthRoutes(health)],
    interceptors: [observe!, mapErrors!, ...(definition.interceptors ?? []), validate!],
    logger,
  });
  const admin = listen.adminPort === undefined ? undefined : await startAdminServer(listen.adminPort, metrics.registry, health, listen.host, definition.adminDocuments);
  return {
    name: definition.name,
    port: server.port,
    health,
    metrics,
    async close(graceMs) {
      monitor.stop();
      health.setAll("NOT_SERVING");
      await server.close(graceMs);
      await admin?.close();
    },
  };
}
