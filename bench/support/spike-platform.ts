/**
 * The platform under the spike: catalog, booking, queue and the edge, each its own process (as
 * pods run them) on the real PostgreSQL (a fresh database per scenario), the three Redis lock
 * masters and the queue's own Redis primary: a redis-server of the bench's own, never a shared
 * one (QUEUE_REDIS_URL), since every queue service steps every queue listed in its Redis against
 * its own database, where another run's events do not exist and so look sold out. Search is not
 * started: no buyer searches.
 * BENCH_PROFILE=1 makes each write a CPU profile under .services/profiles/<service>/ when it stops.
 */
import { generateAdmissionSigningKey } from "../../services/shared/admission/admission-keys.js";
import { freePort } from "../../test/support/free-port.js";
import { redisLockUrls } from "../../test/support/real-services.js";
import { startRedisNodes } from "../../test/support/redis-nodes-fixture.js";
import { startServiceProcess, waitHttpOk, waitServing } from "./service-process.js";

export const SPIKE_AUTH = { AUTH_MODE: "dev", AUTH_DEV_SECRET: "bench-spike-secret-0123456789abcdef", AUTH_ISSUER: "boxoffice-dev", AUTH_AUDIENCE: "boxoffice" } as const;

/** The load processes all come from 127.0.0.1, which stands for thousands of browsers: no per-address cap. */
const CROWD_LIMITS = { EDGE_RATE_LIMIT_PER_IP: "1000000000", EDGE_STREAMS_PER_IP: "1000000" };

export type SpikeServiceName = "catalog" | "booking" | "queue" | "edge";

export interface SpikePlatform {
  edgeUrl: string;
  queueRedisUrl: string;
  pids: Record<SpikeServiceName, number>;
  stop(): Promise<void>;
}

/**
 * Starts the platform; a second time on other ports if a process died on the way (a port that
 * freePort handed out can be taken by another process before the service binds it, on a machine
 * other runs share).
 */
export async function startSpikePlatform(options: { databaseUrl: string; holdSeconds: number }): Promise<SpikePlatform> {
  try {
    return await startOnce(options);
  } catch (error) {
    console.log(`note: the platform did not start (${(error as Error).message}); starting it again on other ports`);
    return startOnce(options);
  }
}

async function startOnce(options: { databaseUrl: string; holdSeconds: number }): Promise<SpikePlatform> {
  const ports = { catalog: await freePort(), booking: await freePort(), queue: await freePort(), edge: await freePort(), search: await freePort() };
  const ownQueueRedis = await startRedisNodes(1);
  const queueRedisUrl = ownQueueRedis.urls[0]!;
  const { key, privateJwk } = await generateAdmissionSigningKey("bench-spike");
  const address = (name: keyof typeof ports) => `127.0.0.1:${ports[name]}`;
  const common = { ...SPIKE_AUTH, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn" };
  const backing = { ...common, DATABASE_URL: options.databaseUrl, REDIS_LOCK_URLS: redisLockUrls().join(",") };
  const processes = {
    catalog: startServiceProcess("services/catalog/main.ts", { ...backing, CATALOG_PORT: String(ports.catalog), CATALOG_ADMIN_PORT: "0" }),
    booking: startServiceProcess("services/booking/main.ts", {
      ...backing,
      BOOKING_PORT: String(ports.booking),
      BOOKING_ADMIN_PORT: "0",
      BOOKING_HOLD_TTL_SECONDS: String(options.holdSeconds),
      QUEUE_JWKS: JSON.stringify(key.jwks),
    }),
    queue: startServiceProcess("services/queue/main.ts", {
      ...backing,
      QUEUE_PORT: String(ports.queue),
      QUEUE_ADMIN_PORT: "0",
      QUEUE_REDIS_URL: queueRedisUrl,
      QUEUE_SIGNING_JWK: JSON.stringify(privateJwk),
    }),
    edge: startServiceProcess("services/edge/main.ts", {
      ...common,
      ...CROWD_LIMITS,
      PORT: String(ports.edge),
      EDGE_ADMIN_PORT: "0",
      CATALOG_SERVICE_ADDR: address("catalog"),
      BOOKING_SERVICE_ADDR: address("booking"),
      QUEUE_SERVICE_ADDR: address("queue"),
      // Nothing listens there: no buyer searches.
      SEARCH_SERVICE_ADDR: address("search"),
    }),
  };
  const stop = async () => {
    await Promise.all(Object.values(processes).map((service) => service.stop()));
    await ownQueueRedis.close();
  };
  try {
    await Promise.all([waitServing(address("catalog"), 120_000), waitServing(address("booking"), 120_000), waitServing(address("queue"), 120_000)]);
    await waitHttpOk(`http://${address("edge")}/healthz`, 120_000);
    // Answering is not enough: another process may hold the port this one failed to bind.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const gone = Object.entries(processes).filter(([, service]) => service.child.exitCode !== null);
    if (gone.length > 0) throw new Error(`${gone.map(([name]) => name).join(", ")} exited after starting`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    edgeUrl: `http://${address("edge")}`,
    queueRedisUrl,
    pids: { catalog: processes.catalog.pid, booking: processes.booking.pid, queue: processes.queue.pid, edge: processes.edge.pid },
    stop,
  };
}
