import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { eventHoldsKey } from "../../services/shared/holds/ticket-holds.js";
import { bearer, grpcJs } from "../support/grpc-js-clients.js";
import { createTestDatabase, postgresAvailable, redisAvailable, redisLockUrls, requireService, type TestDatabase } from "../support/real-services.js";
import { eventually, freePort, spawnEntryPoint, type SpawnedService } from "../support/spawned-service.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable());

describe.skipIf(!ready)("each entry point starts alone against real PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let lockNodes: Redis[];
  const ports: Record<string, number> = {};
  const processes: Record<string, SpawnedService> = {};
  const clients: Array<{ close(): void }> = [];
  const startupMs: Record<string, number> = {};
  const devSecret = "standalone-test-secret-0123456789";
  const issueToken = createDevTokenIssuer({ mode: "dev", devSecret, issuer: "boxoffice-dev", audience: "boxoffice" });
  const address = (name: string) => `127.0.0.1:${ports[name]}`;
  const client = <C extends { close(): void }>(made: C) => (clients.push(made), made);

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoData(database.db, { events: 12 });
    lockNodes = redisLockUrls().map((url) => new Redis(url));
    for (const name of ["catalog", "search", "booking", "edge"]) ports[name] = await freePort();
    const common = { DATABASE_URL: database.url, REDIS_LOCK_URLS: redisLockUrls().join(","), AUTH_DEV_SECRET: devSecret };
    const started = performance.now();
    processes.catalog = spawnEntryPoint("services/catalog/main.ts", { ...common, CATALOG_PORT: String(ports.catalog), CATALOG_ADMIN_PORT: "0" });
    processes.search = spawnEntryPoint("services/search/main.ts", { ...common, SEARCH_PORT: String(ports.search), SEARCH_ADMIN_PORT: "0" });
    processes.booking = spawnEntryPoint("services/booking/main.ts", { ...common, BOOKING_PORT: String(ports.booking), BOOKING_ADMIN_PORT: "0" });
    processes.edge = spawnEntryPoint("services/edge/main.ts", {
      AUTH_DEV_SECRET: devSecret,
      PORT: String(ports.edge),
      EDGE_ADMIN_PORT: "0",
      CATALOG_SERVICE_ADDR: address("catalog"),
      SEARCH_SERVICE_ADDR: address("search"),
      BOOKING_SERVICE_ADDR: address("booking"),
    });
    await Promise.all(
      ["catalog", "search", "booking"].map(async (name) => {
        const health = client(grpcJs.health(address(name)));
        // Generous: four processes compile with tsx at once on a 2-core CI machine.
        await eventually(async () => expect(await health.check({ service: "" })).toEqual({ status: "SERVING" }), 120_000, 250);
        startupMs[name] = Math.round(performance.now() - started);
      }),
    );
    await eventually(async () => {
      const response = await fetch(`http://${address("edge")}/healthz`);
      expect(await response.json()).toEqual({ status: "SERVING" });
    }, 120_000, 250);
    startupMs.edge = Math.round(performance.now() - started);
    console.log(`[measure] time to SERVING from spawn (ms): ${JSON.stringify(startupMs)}`);
  }, 240_000);

  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(Object.values(processes).map((p) => p.stop()));
    await Promise.all((lockNodes ?? []).map((node) => node.quit()));
    await database?.drop();
  });

  it("catalog merges booked from PostgreSQL and reserved from a quorum of lock nodes", async () => {
    const [event] = await database.db("events").select("id").orderBy("starts_at").limit(1);
    const tickets = await database.db("tickets").where({ event_id: event.id }).orderBy("id").limit(3).select("id");
    const [quorumHeld, minorityHeld] = tickets.map((t) => t.id as string);
    // As booking's hold script leaves them: the ticket's key and its entry in the event's hold index.
    const expiresAt = Date.now() + 60_000;
    const hold = (node: Redis, ticketId: string, holder: string) =>
      node.multi().set(`ticket:${ticketId}`, holder, "PX", 60_000).hset(eventHoldsKey(event.id), ticketId, `${expiresAt} ${holder}`).exec();
    await Promise.all(lockNodes.slice(0, 2).map((node) => hold(node, quorumHeld!, "holder-a")));
    await hold(lockNodes[0]!, minorityHeld!, "holder-b");
    try {
      const catalog = client(grpcJs.catalog(address("catalog")));
      const response = await catalog.getEvent({ event_id: event.id });
      const status = new Map(response.tickets.map((t: { id: string; status: string }) => [t.id, t.status]));
      expect(status.get(quorumHeld)).toBe("TICKET_STATUS_RESERVED");
      expect(status.get(minorityHeld)).toBe("TICKET_STATUS_AVAILABLE");
    } finally {
      await Promise.all(lockNodes.map((node) => node.del(`ticket:${quorumHeld}`, `ticket:${minorityHeld}`, eventHoldsKey(event.id))));
    }
  });

  it("search answers SearchEvents from PostgreSQL full text", async () => {
    const [event] = await database.db("events").where("starts_at", ">", new Date()).select("name").limit(1);
    const firstWord = (event.name as string).split(/\s+/)[0]!;
    const search = client(grpcJs.search(address("search")));
    const response = await search.searchEvents({ term: firstWord });
    expect(response.backend).toBe("postgres");
    expect(response.events.map((e: { name: string }) => e.name)).toContain(event.name);
  });

  it("booking answers ListMyBookings for a signed-in caller and refuses an anonymous one", async () => {
    const booking = client(grpcJs.booking(address("booking")));
    await expect(booking.listMyBookings({})).rejects.toMatchObject({ code: 16 });
    const response = await booking.listMyBookings({}, bearer(await issueToken("alice")));
    expect(response.bookings).toEqual([]);
  });

  it("the edge forwards REST calls to the services over gRPC", async () => {
    const [event] = await database.db("events").select("id").limit(1);
    const response = await fetch(`http://${address("edge")}/events/${event.id}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { event: { id: string } }).event.id).toBe(event.id);
  });

  it("every process drains and exits 0 on SIGTERM", async () => {
    const codes = await Promise.all(["edge", "catalog", "search", "booking"].map((name) => processes[name]!.stop()));
    expect(codes).toEqual([0, 0, 0, 0]);
    for (const name of ["catalog", "search", "booking"]) {
      expect(processes[name]!.output()).toMatch(/"msg":"draining"/);
    }
  });
});

describe("a bad configuration stops the process at start-up with the variable named", () => {
  it("catalog without DATABASE_URL exits 1 and says which variable is wrong", async () => {
    const catalog = spawnEntryPoint("services/catalog/main.ts", { REDIS_LOCK_URLS: "redis://127.0.0.1:6379", CATALOG_PORT: "0" });
    expect(await catalog.exited).toBe(1);
    expect(catalog.output()).toMatch(/DATABASE_URL/);
  });

  it("edge with a malformed service address exits 1 naming it", async () => {
    const edge = spawnEntryPoint("services/edge/main.ts", { PORT: "0", CATALOG_SERVICE_ADDR: "no port here" });
    expect(await edge.exited).toBe(1);
    expect(edge.output()).toMatch(/CATALOG_SERVICE_ADDR/);
  });
});
