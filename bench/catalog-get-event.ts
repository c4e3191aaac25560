/**
 * GetEvent for a 500-seat and a 50,000-seat event, with the event's static part uncached,
 * cached in Redis (as replicas share it) and cached in process (the embedded default), side
 * by side in one run, through real gRPC servers on real PostgreSQL and three Redis masters.
 * A tenth of the tickets is booked and a fiftieth held, so the live overlay has work to do.
 *
 *   npm run services:up && source scripts/services/env.sh && npm run bench:catalog
 *
 * The servers run in this process, the client in a child process (decoding a stadium's 5 MB
 * is the client's cost, not the server's). Each case (event size × mode) runs for BENCH_SECONDS
 * (20) and takes at least BENCH_MIN_SAMPLES (200) requests, whichever ends later, so p99 is the
 * 99th percentile of enough samples rather than the slowest request; BENCH_CONCURRENCY (2)
 * requests are in flight. About four minutes on 2 cores with the defaults. BENCH_GZIP=0 makes
 * the client refuse gzip, which connect-es clients otherwise accept and the servers then apply.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { fork } from "node:child_process";
import { once } from "node:events";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Redis } from "ioredis";
import { CatalogService } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
import { catalogService } from "../services/catalog/catalog-service.js";
import { createDevTokenIssuer } from "../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier } from "../services/shared/auth/token-verifier.js";
import type { Cache } from "../services/shared/cache/cache.js";
import { InMemoryCache } from "../services/shared/cache/in-memory-cache.js";
import { RedisCache } from "../services/shared/cache/redis-cache.js";
import { createRedisQuorumHoldReader } from "../services/shared/holds/redis-quorum-hold-reader.js";
import { eventHoldsKey } from "../services/shared/holds/ticket-holds.js";
import { createLogger } from "../services/shared/logging/logger.js";
import { closeRedisClients, createRedisClients } from "../services/shared/redis/redis-clients.js";
import { startService, type StartedService } from "../services/shared/server/start-service.js";
import { InProcessTicketStatusBus } from "../services/shared/ticket-events/in-process-ticket-status-bus.js";
import { createTestDatabase, redisLockUrls } from "../test/support/real-services.js";
import { eventInput, venueInput } from "../test/catalog/catalog-fixture.js";
import { runBench } from "./run-bench.js";
import { loadAverage, type Summary } from "./bench-stats.js";
import { seatMap } from "./support/seat-map.js";
import type { ClientJob } from "./catalog-get-event-client.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const MIN_SAMPLES = Number(process.env.BENCH_MIN_SAMPLES ?? 200);
const ROUNDS = 4;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const auth = { mode: "dev" as const, devSecret: "bench-secret-0123456789abcdef", issuer: "boxoffice-dev", audience: "boxoffice" };

/** What "uncached" means: every read goes to PostgreSQL. */
const noCache: Cache = {
  get: async () => undefined,
  set: async () => undefined,
  delete: async () => undefined,
};


async function main() {
  const database = await createTestDatabase({ poolMax: 20 });
  const lockNodes = createRedisClients(redisLockUrls());
  const cacheRedis = new Redis(redisLockUrls()[0]!);
  const prefix = `bench:catalog:${randomBytes(4).toString("hex")}:`;
  const logger = createLogger("bench", "silent");
  const services: StartedService[] = [];
  const held: string[] = [];

  const serve = async (cache: Cache): Promise<string> => {
    const definition = catalogService({
      db: database.db,
      holds: createRedisQuorumHoldReader(lockNodes),
      cache,
      ticketStatusBus: new InProcessTicketStatusBus(),
      verifyToken: createTokenVerifier(auth),
    });
    const service = await startService(definition, { host: "127.0.0.1", port: 0 }, logger);
    services.push(service);
    return `http://127.0.0.1:${service.port}`;
  };

  const measure = async (job: ClientJob): Promise<Record<string, Summary>> => {
    const client = fork(new URL("./catalog-get-event-client.ts", import.meta.url), [JSON.stringify(job)], { execArgv: ["--import", "tsx"] });
    const [message] = (await Promise.race([
      once(client, "message"),
      once(client, "exit").then(([code]) => Promise.reject(new Error(`the bench client exited with ${code}`))),
    ])) as [Record<string, Summary>];
    client.kill();
    return message;
  };

  try {
    const modes = {
      "uncached (PostgreSQL every read)": await serve(noCache),
      "cached in Redis (shared by replicas)": await serve(new RedisCache(cacheRedis, prefix)),
      "cached in process (embedded default)": await serve(new InMemoryCache()),
    };
    const admin = { headers: new Headers({ authorization: `Bearer ${await createDevTokenIssuer(auth)("bench", ["admin"])}` }) };
    const client: Client<typeof CatalogService> = createClient(CatalogService, createGrpcTransport({ baseUrl: Object.values(modes)[0]! }));
    console.log(`load average ${loadAverage()} before the run`);

    const events: Array<[string, string]> = [];
    for (const [label, sections, rows, seats] of [
      ["500-seat theatre", 4, 5, 25],
      ["50,000-seat stadium", 40, 25, 50],
    ] as const) {
      const layout = seatMap(sections, rows, seats);
      const { venue } = await client.createVenue({ venue: venueInput(label, layout) }, admin);
      const prices = Object.fromEntries(layout.map((s, i) => [s.code, 2_000 + i * 250]));
      const created = await client.createEvent({ event: eventInput(venue!.id, prices) }, admin);
      const eventId = created.event!.id;
      const ids: string[] = await database.db("tickets").where({ event_id: eventId }).orderBy("id").pluck("id");
      const [booking] = await database.db("bookings")
        .insert({ user_id: "bench", event_id: eventId, total_minor: 0, currency: "GBP", idempotency_key: randomUUID() })
        .returning("id");
      await database.db("tickets").whereIn("id", ids.slice(0, ids.length / 10)).update({ status: "booked", booking_id: booking.id });
      const holds = ids.slice(ids.length / 10, ids.length / 10 + ids.length / 50);
      held.push(...holds.map((id) => `ticket:${id}`), eventHoldsKey(eventId));
      // As booking's hold script leaves them: each ticket's key and its entry in the event's hold index.
      const entry = `${Date.now() + 600_000} bench-holder`;
      await Promise.all(
        lockNodes.slice(0, 2).map((node) => {
          const pipeline = node.pipeline();
          for (const id of holds) pipeline.set(`ticket:${id}`, "bench-holder", "PX", 600_000).hset(eventHoldsKey(eventId), id, entry);
          return pipeline.exec();
        }),
      );
      events.push([label, eventId]);
    }

    const gzip = process.env.BENCH_GZIP === "0" ? "responses not compressed" : "responses gzipped (the client accepts gzip)";
    console.log(
      `GetEvent through gRPC, ${CONCURRENCY} in flight, ${gzip}, modes taking turns over ${ROUNDS} rounds, ` +
        `each case ${SECONDS} s and at least ${MIN_SAMPLES} requests`,
    );
    const results: Array<[string, Summary]> = [];
    for (const [label, eventId] of events) {
      const summaries = await measure({
        eventId,
        targets: modes,
        rounds: ROUNDS,
        secondsPerRound: SECONDS / ROUNDS,
        minSamplesPerRound: Math.ceil(MIN_SAMPLES / ROUNDS),
        concurrency: CONCURRENCY,
      });
      for (const mode of Object.keys(modes)) results.push([`${label}, ${mode}`, summaries[mode]!]);
    }
    console.log(`\n${"GetEvent (static part cached vs uncached; statuses always live)".padEnd(64)} ${"req/s".padStart(8)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)} ${"n".padStart(5)}`);
    for (const [name, s] of results) {
      console.log(`${name.padEnd(64)} ${s.perSecond.toFixed(s.perSecond < 10 ? 2 : 0).padStart(8)} ${s.p50.toFixed(1).padStart(9)} ${s.p99.toFixed(1).padStart(9)} ${String(s.count).padStart(5)}`);
    }

    // Other jobs share the machine: the load during the run says how far to trust the figures.
    console.log(`load average ${loadAverage()} after the run`);
    console.log("\nratios against uncached (throughput ×, p50 ÷)");
    for (const [label] of events) {
      const [uncached, ...cached] = results.filter(([name]) => name.startsWith(label));
      for (const [name, summary] of cached) {
        const ratio = summary.perSecond / uncached![1].perSecond;
        console.log(`  ${name.padEnd(64)} ${ratio.toFixed(2)}× throughput, p50 ${(uncached![1].p50 / summary.p50).toFixed(2)}× lower`);
      }
    }
  } finally {
    await Promise.all(services.map((service) => service.close(1_000)));
    for (let i = 0; i < held.length; i += 1_000) {
      await Promise.all(lockNodes.map((node) => node.del(...held.slice(i, i + 1_000))));
    }
    const cached = await cacheRedis.keys(`${prefix}*`);
    if (cached.length > 0) await cacheRedis.del(...cached);
    await closeRedisClients([...lockNodes, cacheRedis]);
    await database.drop();
  }
}

runBench(main);
