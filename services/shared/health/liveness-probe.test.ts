import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcJs, type GrpcJsClient } from "../../../test/support/grpc-js-clients.js";
import { createLogger } from "../logging/logger.js";
import { startGrpcServer, type RunningServer } from "../server/grpc-server.js";
import { monitorDependencies, type DependencyMonitor } from "./dependency-monitor.js";
import { HealthRegistry, LIVENESS_SERVICE } from "./health-registry.js";
import { healthRoutes } from "./health-routes.js";

// What the kubelet's grpc probes see: a plain gRPC client (grpc-js, as kubelet's grpc-go) on a
// real h2c server, asking grpc.health.v1 for "" (readiness) and "liveness" (startup, liveness).

const SERVICE = "boxoffice.test.v1.ThingService";
let databaseUp = false;
let registry: HealthRegistry;
let monitor: DependencyMonitor;
let server: RunningServer;
let health: GrpcJsClient<"check">;

beforeAll(async () => {
  const logger = createLogger("liveness-test", "silent");
  registry = new HealthRegistry([SERVICE]);
  const database = {
    name: "postgresql",
    critical: true,
    async check() {
      if (!databaseUp) throw new Error("connection refused");
    },
  };
  monitor = monitorDependencies(registry, [database], logger, 60_000);
  await monitor.checkNow();
  server = await startGrpcServer({ name: "thing", host: "127.0.0.1", port: 0, routes: [healthRoutes(registry)], interceptors: [], logger });
  health = grpcJs.health(`127.0.0.1:${server.port}`);
});

afterAll(async () => {
  health?.close();
  monitor?.stop();
  await server?.close();
});

const statusOf = async (service: string) => ((await health.check({ service })) as { status: string }).status;
/** What a probe for each name would be told, after the monitor has looked at the database. */
async function statusesWithDatabase(up: boolean): Promise<Record<string, string>> {
  databaseUp = up;
  await monitor.checkNow();
  return { process: await statusOf(""), service: await statusOf(SERVICE), liveness: await statusOf(LIVENESS_SERVICE) };
}

describe("grpc.health.v1 liveness", () => {
  it("answers SERVING for liveness while a critical dependency is down and the process is NOT_SERVING", async () => {
    expect(await statusesWithDatabase(false)).toEqual({ process: "NOT_SERVING", service: "NOT_SERVING", liveness: "SERVING" });
  });

  it("readiness follows the dependency back to SERVING while liveness stays SERVING", async () => {
    await statusesWithDatabase(false);
    expect(await statusesWithDatabase(true)).toEqual({ process: "SERVING", service: "SERVING", liveness: "SERVING" });
  });

  it("a drain (every status set to NOT_SERVING) takes the process out of rotation without making it dead", async () => {
    await statusesWithDatabase(true);
    registry.setAll("NOT_SERVING");
    expect(await statusOf("")).toBe("NOT_SERVING");
    expect(await statusOf(LIVENESS_SERVICE)).toBe("SERVING");
  });

  it("lists liveness beside the process and its services", () => {
    expect(registry.names().sort()).toEqual(["", LIVENESS_SERVICE, SERVICE].sort());
  });
});
