/**
 * The stadium view against the old GetEvent, for a 500-seat and a 50,000-seat event, in one run:
 * the catalog and the edge each in a process of their own (as deployed), on real PostgreSQL and
 * three Redis masters, with the load from separate processes — autocannon over HTTP through the
 * edge's REST paths, a connect-es client over gRPC straight to the catalog.
 *
 *   npm run services:up && source scripts/services/env.sh && npm run bench:stadium
 *
 * A tenth of each event's tickets is booked and a fiftieth held (through the Redlock store, so
 * the event's hold index is what booking writes). Each case runs BENCH_SECONDS (10) with
 * BENCH_CONNECTIONS (10) requests in flight; the old stadium GetEvent takes a few requests only
 * (about two seconds each). BENCH_SECONDS=1 runs in about a minute. Writes the figures to
 * docs/performance/stadium.json and docs/performance-stadium.md.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
import { createDevTokenIssuer } from "../services/shared/auth/dev-token-issuer.js";
import { RedisTicketHolds } from "../services/shared/holds/redis-ticket-holds.js";
import { closeRedisClients, createRedisClients } from "../services/shared/redis/redis-clients.js";
import { eventInput, venueInput } from "../test/catalog/catalog-fixture.js";
import { createTestDatabase, redisLockUrls } from "../test/support/real-services.js";
import { eventually, freePort, spawnEntryPoint } from "../test/support/spawned-service.js";
import { runBench } from "./run-bench.js";
import { loadAverage } from "./bench-stats.js";
import { BENCH_OUT, runNodeChildJson, REPO } from "./support/child-process.js";
import { seatMap } from "./support/seat-map.js";
import type { GrpcJob } from "./stadium-view-grpc-client.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
// The old GetEvent of a stadium takes seconds per request: a handful says enough.
const OLD_STADIUM_REQUESTS = 6;
const AUTH_SECRET = "bench-stadium-secret-0123456789abcdef";

interface Figure {
  case: string;
  path: "HTTP via edge" | "gRPC to catalog";
  seats: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** HTTP: bytes on the wire per response (gzip where taken, headers included); gRPC: the message, uncompressed. */
  bytesPerResponse: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  /** Seconds the run took. */
  duration: number;
  latency: { p50: number; p99: number };
  throughput: { total: number };
  non2xx: number;
  errors: number;
}

function autocannon(url: string, options: { connections: number; seconds?: number; amount?: number; headers?: string[] }): Promise<AutocannonResult> {
  const args = ["-j", "-c", String(options.connections), "-H", "accept-encoding=gzip", ...(options.headers ?? []).flatMap((header) => ["-H", header])];
  args.push(...(options.amount ? ["-a", String(options.amount)] : ["-d", String(options.seconds)]), url);
  const child = spawn(resolve(REPO, "node_modules/.bin/autocannon"), args, { stdio: ["ignore", "pipe", "ignore"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return new Promise((ok, fail) =>
    child.once("exit", (code) => {
      if (code !== 0) return fail(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(output) as AutocannonResult;
      if (result.non2xx > 0 || result.errors > 0) return fail(new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`));
      ok(result);
    }),
  );
}


async function main() {
  const database = await createTestDatabase({ poolMax: 4 });
  const lockUrls = redisLockUrls();
  const lockNodes = createRedisClients(lockUrls);
  const holds = new RedisTicketHolds(lockNodes);
  const [catalogPort, catalogAdminPort, edgePort, nobody] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const auth = { AUTH_MODE: "dev", AUTH_DEV_SECRET: AUTH_SECRET, LOG_LEVEL: "warn" };
  const catalog = spawnEntryPoint("services/catalog/main.ts", {
    ...auth,
    DATABASE_URL: database.url,
    REDIS_LOCK_URLS: lockUrls.join(","),
    CATALOG_PORT: String(catalogPort),
    CATALOG_ADMIN_PORT: String(catalogAdminPort),
  });
  // Search and booking are not part of a view: their addresses lead nowhere.
  const edge = spawnEntryPoint("services/edge/main.ts", {
    ...auth,
    PORT: String(edgePort),
    EDGE_ADMIN_PORT: "0",
    CATALOG_SERVICE_ADDR: `127.0.0.1:${catalogPort}`,
    SEARCH_SERVICE_ADDR: `127.0.0.1:${nobody}`,
    BOOKING_SERVICE_ADDR: `127.0.0.1:${nobody}`,
    // One load generator on one address stands for a crowd of browsers.
    EDGE_RATE_LIMIT_PER_IP: "1000000000",
  });
  const heldByEvent: Array<{ eventId: string; ticketIds: string[]; token: string }> = [];
  try {
    const grpcUrl = `http://127.0.0.1:${catalogPort}`;
    const httpUrl = `http://127.0.0.1:${edgePort}`;
    const client = createClient(CatalogService, createGrpcTransport({ baseUrl: grpcUrl }));
    const admin = { headers: new Headers({ authorization: `Bearer ${await createDevTokenIssuer({ mode: "dev", devSecret: AUTH_SECRET, issuer: "boxoffice-dev", audience: "boxoffice" })("bench", ["admin"])}` }) };
    await eventually(() => client.createPerformer({ performer: { name: "Warm-up" } }, admin), 60_000, 250);
    await eventually(async () => {
      if (!(await fetch(`${httpUrl}/healthz`)).ok && edge.process.exitCode !== null) throw new Error(edge.output());
    }, 60_000, 250);
    console.log(`load average ${loadAverage()} before the run`);

    const figures: Figure[] = [];
    for (const [label, seats, layout] of [
      ["500-seat theatre", 500, seatMap(4, 5, 25)],
      ["50,000-seat stadium", 50_000, seatMap(40, 25, 50)],
    ] as const) {
      const { venue } = await client.createVenue({ venue: venueInput(label, layout) }, admin);
      const prices = Object.fromEntries(layout.map((s, i) => [s.code, 2_000 + i * 250]));
      const eventId = (await client.createEvent({ event: eventInput(venue!.id, prices) }, admin)).event!.id;
      const ids: string[] = await database.db("tickets").where({ event_id: eventId }).orderBy("id").pluck("id");
      const [booking] = await database.db("bookings").insert({ user_id: "bench", event_id: eventId, total_minor: 0, currency: "GBP", idempotency_key: randomUUID() }).returning("id");
      await database.db("tickets").whereIn("id", ids.slice(0, ids.length / 10)).update({ status: "booked", booking_id: booking.id });
      const toHold = ids.slice(ids.length / 10, ids.length / 10 + ids.length / 50);
      // Reservations of up to ten seats, as buyers make them.
      for (let i = 0; i < toHold.length; i += 10) {
        const ticketIds = toHold.slice(i, i + 10);
        const outcome = await holds.hold({ eventId, ticketIds, ttlMs: 600_000, userId: `bench-${i}` });
        if (outcome.kind === "held") heldByEvent.push({ eventId, ticketIds, token: outcome.token });
      }
      const version = (await client.getEventLayout({ eventId })).layout!.version;
      const stadium = seats === 50_000;

      const http = async (name: string, path: string, old = false, headers: string[] = []) => {
        const result = old && stadium ? await autocannon(`${httpUrl}${path}`, { connections: 2, amount: OLD_STADIUM_REQUESTS }) : await autocannon(`${httpUrl}${path}`, { connections: CONNECTIONS, seconds: SECONDS, headers });
        figures.push({ case: name, path: "HTTP via edge", seats, requestsPerSecond: result.requests.total / result.duration, p50Ms: result.latency.p50, p99Ms: result.latency.p99, requests: result.requests.total, bytesPerResponse: Math.round(result.throughput.total / result.requests.total) });
      };
      const grpc = async (name: string, method: GrpcJob["method"], request: Record<string, string>, old = false) => {
        const job: GrpcJob = { baseUrl: grpcUrl, method, request, seconds: old && stadium ? 0 : SECONDS, minSamples: old && stadium ? OLD_STADIUM_REQUESTS : 1, concurrency: old && stadium ? 2 : CONNECTIONS };
        const s = await runNodeChildJson<{ perSecond: number; p50: number; p99: number; count: number; bytes: number }>("bench/stadium-view-grpc-client.ts", [JSON.stringify(job)]);
        figures.push({ case: name, path: "gRPC to catalog", seats, requestsPerSecond: s.perSecond, p50Ms: s.p50, p99Ms: s.p99, requests: s.count, bytesPerResponse: s.bytes });
      };

      await http(`${label}: availability`, `/events/${eventId}/availability`);
      // Past the edge's half-second answer cache: every view reaches the catalog.
      await http(`${label}: availability, no-cache`, `/events/${eventId}/availability`, false, ["cache-control=no-cache"]);
      await http(`${label}: layout by version`, `/events/${eventId}/layout/${version}`);
      await http(`${label}: old GetEvent`, `/events/${eventId}`, true);
      await grpc(`${label}: GetEventAvailability`, "getEventAvailability", { eventId });
      await grpc(`${label}: GetEventLayout by version`, "getEventLayout", { eventId, version });
      await grpc(`${label}: old GetEvent`, "getEvent", { eventId }, true);
    }
    const after = loadAverage();
    console.log(`load average ${after} after the run\n`);
    const table = [
      `| case | path | req/s | p50 ms | p99 ms | bytes per response | n |`,
      `|---|---|---|---|---|---|---|`,
      ...figures.map((f) => `| ${f.case} | ${f.path} | ${f.requestsPerSecond.toFixed(f.requestsPerSecond < 10 ? 2 : 0)} | ${f.p50Ms.toFixed(1)} | ${f.p99Ms.toFixed(1)} | ${f.bytesPerResponse.toLocaleString("en")} | ${f.requests} |`),
    ].join("\n");
    console.log(table);
    const measuredAt = new Date().toISOString();
    const settings = { seconds: SECONDS, connections: CONNECTIONS, oldStadiumRequests: OLD_STADIUM_REQUESTS };
    await mkdir(BENCH_OUT, { recursive: true });
    await writeFile(resolve(BENCH_OUT, "stadium.json"), `${JSON.stringify({ measuredAt, settings, loadAverageAfter: after, figures }, null, 2)}\n`);
    // CI's short runs (BENCH_OUT elsewhere) leave the published figures alone.
    if (BENCH_OUT === resolve(REPO, "docs/performance")) await writeFile(
      resolve(REPO, "docs/performance-stadium.md"),
      [
        "# Stadium view: figures",
        "",
        `\`npm run bench:stadium\` (bench/stadium-view.ts), ${measuredAt.slice(0, 16).replace("T", " ")} UTC, the 2-core machine, ` +
          `BENCH_SECONDS=${SECONDS}, ${CONNECTIONS} connections (the old stadium GetEvent: ${OLD_STADIUM_REQUESTS} requests, 2 in flight), load average ${after} after the run. ` +
          "One catalog and one edge process on PostgreSQL and three Redis masters; the load from separate processes (autocannon over HTTP with `accept-encoding: gzip`, a connect-es gRPC client). " +
          "A tenth of the tickets booked, a fiftieth held. A stadium view is one availability request; its layout is fetched once per version and then served from the browser's or the CDN's cache. " +
          "The edge keeps its encoded answers (an availability for 500 ms, a layout by version for good), as their Cache-Control allows any shared cache; the `no-cache` rows send `Cache-Control: no-cache`, so every view reaches the catalog (which rebuilds the bits at most once a second). " +
          "The load average says how far to trust the figures. Raw figures: [`performance/stadium.json`](performance/stadium.json).",
        "",
        table,
        "",
      ].join("\n"),
    );
  } finally {
    for (const { eventId, ticketIds, token } of heldByEvent) await holds.release({ eventId, ticketIds, token }).catch(() => undefined);
    await Promise.all([catalog.stop(), edge.stop()]);
    await closeRedisClients(lockNodes);
    await database.drop();
  }
}

runBench(main);
