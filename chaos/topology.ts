import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Knex } from "knex";
import { REPO } from "../bench/support/child-process.js";
import { waitHttpOk, waitServing } from "../bench/support/service-process.js";
import { freePort } from "../test/support/free-port.js";
import { createTestDatabase } from "../test/support/real-services.js";
import { closeDatabase, createDatabase, migrateToLatest } from "../services/shared/db/database.js";
import { startOwnPostgres } from "./postgres-cluster.js";
import { ManagedProcess } from "./managed-process.js";
import { startNetwork, type ChaosNetwork } from "./network.js";
import { redisNodes } from "./redis-nodes.js";
import { searchEngineUpstream, seedOrganiserVenue, startSearchStack, type SearchStack } from "./search-stack.js";
import type { RedisPersistence } from "./redis-persistence.js";

export interface TopologySettings {
  runDir: string;
  /** Seats of the one event on sale; fewer seats, more contention. */
  tickets: number;
  holdTtlSeconds: number;
  /** Added to every call of the simulated provider: widens the window a kill -9 lands in. */
  paymentLatencyMs: number;
  recoveryGraceSeconds: number;
  /** A PostgreSQL cluster of the run's own, which the nemesis may crash; else a fresh database on the shared one. */
  ownPostgres: boolean;
  /** The search engine (SEARCH_URL) the indexer and search use, behind its link in the run's Toxiproxy; absent: search on PostgreSQL alone, no indexer. */
  searchEngineUrl?: string;
  /** How the Redis masters keep their holds across a restart (chaos/redis-persistence.ts). */
  redisPersistence: RedisPersistence;
}

interface RunDatabase {
  url: string;
  db: Knex;
  /** The run's own cluster, when it has one. */
  server?: ManagedProcess;
  drop(): Promise<void>;
}

async function runDatabase(settings: TopologySettings): Promise<RunDatabase> {
  if (!settings.ownPostgres) return createTestDatabase({ poolMax: 4 });
  const cluster = await startOwnPostgres(await freePort(), join(settings.runDir, "logs"));
  const db = createDatabase({ kind: "postgres", url: cluster.url, pool: { min: 0, max: 4 }, sessionTimeouts: "unbounded" });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await closeDatabase(db);
    await cluster.destroy();
    throw error;
  }
  return {
    url: cluster.url,
    db,
    server: cluster.server,
    async drop() {
      await closeDatabase(db);
      await cluster.destroy();
    },
  };
}

export interface Topology {
  database: RunDatabase;
  postgres?: ManagedProcess;
  eventId: string;
  ticketIds: string[];
  edgeUrl: string;
  devSecret: string;
  redis: ManagedProcess[];
  booking: ManagedProcess[];
  edge: ManagedProcess;
  catalog: ManagedProcess;
  search: ManagedProcess;
  /** The search engine's proxy, the indexer and the run's index, when the run has an engine. */
  searchStack?: SearchStack;
  /** Where the organiser's events go (see chaos/search-load.ts). */
  organiserVenueId: string;
  /** Toxiproxy between the services and PostgreSQL and each Redis master. */
  network: ChaosNetwork;
  /** The simulated provider's faults file, shared by both booking replicas. */
  paymentFaultsFile: string;
  stop(): Promise<void>;
}

/** The one event on sale; buyers search for it by this name. */
export const EVENT_NAME = "Chaos Night";

/** One event on sale now, with its seats, written straight into the catalogue. */
async function seedEvent(db: Knex, seats: number): Promise<{ eventId: string; ticketIds: string[] }> {
  const rows = [{ label: "A", seats }];
  const [venue] = await db("venues")
    .insert({ name: "Chaos Arena", city: "Lisbon", country: "PT", latitude: 38.72, longitude: -9.14, timezone: "Europe/Lisbon", capacity: seats, seat_map: JSON.stringify({ sections: [{ code: "FLR", name: "Floor", kind: "seated", rows }] }) })
    .returning("id");
  const starts = new Date(Date.now() + 30 * 86_400_000);
  const [event] = await db("events")
    .insert({ name: EVENT_NAME, type: "concert", venue_id: venue.id, starts_at: starts, ends_at: new Date(starts.getTime() + 3 * 3_600_000), currency: "EUR" })
    .returning("id");
  const tickets = Array.from({ length: seats }, (_, i) => ({ event_id: event.id, section: "FLR", row_label: "A", seat_number: i + 1, price_minor: 4_500, currency: "EUR" }));
  const inserted: Array<{ id: string }> = await db("tickets").insert(tickets).returning("id");
  return { eventId: event.id as string, ticketIds: inserted.map((row) => row.id) };
}

function service(name: string, entry: string, env: Record<string, string>, runDir: string, ready: () => Promise<void>): ManagedProcess {
  return new ManagedProcess(name, process.execPath, ["--import", "tsx", join(REPO, entry)], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
    log: join(runDir, "logs", `${name}.log`),
    ready,
  });
}

/**
 * The platform as separate processes on this machine: a fresh database on the shared
 * PostgreSQL (never restarted) or a PostgreSQL cluster of the run's own, three Redis masters
 * of the run's own, Toxiproxy in front of PostgreSQL, each master and the search engine, catalog,
 * the indexer (change data capture into the search engine: chaos/search-stack.ts), search, two
 * booking replicas and the edge spreading booking calls over both.
 */
export async function startTopology(settings: TopologySettings): Promise<Topology> {
  const database = await runDatabase(settings);
  const { eventId, ticketIds } = await seedEvent(database.db, settings.tickets);
  const organiserVenueId = await seedOrganiserVenue(database.db);
  const devSecret = randomBytes(24).toString("hex");
  const redisPorts = await Promise.all([freePort(), freePort(), freePort()]);
  const redis = redisNodes(redisPorts, settings.runDir, settings.redisPersistence);
  // Every service, the indexer too, reaches PostgreSQL, the masters and the search engine through
  // the one Toxiproxy of the run; the checker and the readiness checks do not.
  const databaseUrl = new URL(database.url);
  let network: ChaosNetwork;
  let searchStack: SearchStack | undefined;
  try {
    network = await startNetwork(settings.runDir, [
      { name: "postgres", port: Number(databaseUrl.port || 5432) },
      ...redisPorts.map((port, index) => ({ name: `redis-${index}`, port })),
      ...(settings.searchEngineUrl ? [searchEngineUpstream(settings.searchEngineUrl)] : []),
    ]);
  } catch (error) {
    await database.drop();
    throw error;
  }
  databaseUrl.hostname = "127.0.0.1";
  databaseUrl.port = String(network.link("postgres").port);
  if (settings.searchEngineUrl) {
    try {
      searchStack = await startSearchStack({ runDir: settings.runDir, databaseUrl: databaseUrl.toString(), directDatabaseUrl: database.url, engineUrl: settings.searchEngineUrl, network });
    } catch (error) {
      await network.stop();
      await database.drop();
      throw error;
    }
  }
  const lockUrls = redisPorts.map((_, index) => `redis://127.0.0.1:${network.link(`redis-${index}`).port}`).join(",");
  const [catalogPort, searchPort, bookingA, bookingB, edgePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const common = { DATABASE_URL: databaseUrl.toString(), REDIS_LOCK_URLS: lockUrls, AUTH_DEV_SECRET: devSecret };
  const at = (port: number) => `127.0.0.1:${port}`;
  const paymentFaultsFile = join(settings.runDir, "payment-faults.json");
  const catalog = service("catalog", "services/catalog/main.ts", { ...common, CATALOG_PORT: String(catalogPort), CATALOG_ADMIN_PORT: "0" }, settings.runDir, () => waitServing(at(catalogPort), 120_000));
  // Without an engine (no SEARCH_URL) search answers from PostgreSQL full-text search alone.
  const search = service("search", "services/search/main.ts", { ...common, ...searchStack?.searchEnv, SEARCH_PORT: String(searchPort), SEARCH_ADMIN_PORT: "0" }, settings.runDir, () => waitServing(at(searchPort), 120_000));
  const booking = [bookingA, bookingB].map((port, index) =>
    service(
      `booking-${index}`,
      "services/booking/main.ts",
      {
        ...common,
        BOOKING_PORT: String(port),
        BOOKING_ADMIN_PORT: "0",
        BOOKING_HOLD_TTL_SECONDS: String(settings.holdTtlSeconds),
        BOOKING_RECOVERY_GRACE_SECONDS: String(settings.recoveryGraceSeconds),
        BOOKING_RECOVERY_INTERVAL_SECONDS: "2",
        // Every step of a confirm must end before recovery may take its payment over.
        BOOKING_CONFIRM_DEADLINE_MS: String(Math.max(settings.recoveryGraceSeconds * 1000 - 2_000, 3_000)),
        BOOKING_PAYMENT_TIMEOUT_MS: "2500",
        PAYMENTS_SIMULATED_LATENCY_MS: String(settings.paymentLatencyMs),
        PAYMENTS_SIMULATED_FAULTS_FILE: paymentFaultsFile,
      },
      settings.runDir,
      () => waitServing(at(port), 120_000),
    ),
  );
  const edge = service(
    "edge",
    "services/edge/main.ts",
    {
      AUTH_DEV_SECRET: devSecret,
      PORT: String(edgePort),
      EDGE_ADMIN_PORT: "0",
      CATALOG_SERVICE_ADDR: at(catalogPort),
      SEARCH_SERVICE_ADDR: at(searchPort),
      BOOKING_SERVICE_ADDR: `${at(bookingA)},${at(bookingB)}`,
      // Every simulated buyer comes from 127.0.0.1: the per-address limit would throttle the load, not a fault.
      EDGE_RATE_LIMIT_PER_IP: "10000000",
      EDGE_RATE_LIMIT_PER_USER: "10000000",
    },
    settings.runDir,
    () => waitHttpOk(`http://${at(edgePort)}/healthz`, 120_000),
  );
  const indexer = searchStack ? [searchStack.indexer] : [];
  const everything = [...redis, catalog, ...indexer, search, ...booking, edge];
  const stop = async () => {
    await Promise.all(everything.map((p) => p.stop()));
    await searchStack?.cleanUp(database.db);
    await network.stop();
    await database.drop();
  };
  try {
    await Promise.all(redis.map((node) => node.start()));
    // One at a time: tsx compiles each on start, and the machine has two cores.
    for (const p of [catalog, ...indexer, search, ...booking, edge]) await p.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { database, ...(database.server ? { postgres: database.server } : {}), eventId, ticketIds, edgeUrl: `http://${at(edgePort)}`, devSecret, redis, booking, edge, catalog, search, ...(searchStack ? { searchStack } : {}), organiserVenueId, network, paymentFaultsFile, stop };
}
