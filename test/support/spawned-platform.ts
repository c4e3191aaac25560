import { redisLockUrls } from "./real-services.js";
import { freePort, spawnEntryPoint, untilServing, type SpawnedService } from "./spawned-service.js";

export interface SpawnedPlatform {
  /** host:port of catalog, search, booking or the edge. */
  address(name: "catalog" | "search" | "booking" | "edge"): string;
  processes: Record<string, SpawnedService>;
  stop(): Promise<Array<number | null>>;
}

/**
 * Catalog, search, booking and the edge, each its own process on free ports against the real
 * PostgreSQL and Redis, as pods would run them; resolves once all four are serving. `extraEnv`
 * adds settings per process (tracing's, in the suites that follow a trace); `nodeArgs` adds
 * Node flags per process (a benchmark's --cpu-prof, which NODE_OPTIONS refuses).
 */
export async function spawnPlatform(options: {
  databaseUrl: string;
  devSecret: string;
  extraEnv?: (service: string) => Record<string, string>;
  nodeArgs?: (service: string) => string[];
}): Promise<SpawnedPlatform> {
  const ports: Record<string, number> = {};
  for (const name of ["catalog", "search", "booking", "edge"]) ports[name] = await freePort();
  const address = (name: string) => `127.0.0.1:${ports[name]}`;
  const extra = options.extraEnv ?? (() => ({}));
  const flags = options.nodeArgs ?? (() => []);
  const common = { DATABASE_URL: options.databaseUrl, REDIS_LOCK_URLS: redisLockUrls().join(","), AUTH_DEV_SECRET: options.devSecret };
  const processes: Record<string, SpawnedService> = {
    catalog: spawnEntryPoint("services/catalog/main.ts", { ...common, ...extra("catalog"), CATALOG_PORT: String(ports.catalog), CATALOG_ADMIN_PORT: "0" }, flags("catalog")),
    search: spawnEntryPoint("services/search/main.ts", { ...common, ...extra("search"), SEARCH_PORT: String(ports.search), SEARCH_ADMIN_PORT: "0" }, flags("search")),
    booking: spawnEntryPoint("services/booking/main.ts", { ...common, ...extra("booking"), BOOKING_PORT: String(ports.booking), BOOKING_ADMIN_PORT: "0" }, flags("booking")),
    edge: spawnEntryPoint("services/edge/main.ts", {
      ...extra("edge"),
      AUTH_DEV_SECRET: options.devSecret,
      PORT: String(ports.edge),
      EDGE_ADMIN_PORT: "0",
      CATALOG_SERVICE_ADDR: address("catalog"),
      SEARCH_SERVICE_ADDR: address("search"),
      BOOKING_SERVICE_ADDR: address("booking"),
    }, flags("edge")),
  };
  const stop = () => Promise.all(Object.values(processes).map((p) => p.stop()));
  try {
    await untilServing(["catalog", "search", "booking"].map(address), address("edge"));
  } catch (error) {
    await stop();
    throw new Error(`the platform did not start: ${error}\n${Object.entries(processes).map(([name, p]) => `--- ${name}\n${p.output().slice(-2_000)}`).join("\n")}`);
  }
  return { address, processes, stop };
}
