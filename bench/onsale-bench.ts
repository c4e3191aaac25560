/**
 * An on-sale on one box: ReserveTickets (held and refused) and ConfirmBooking through the real
 * booking process, and reserve through the real edge (REST and Connect), each driven from a
 * separate process by a real load tool (ghz for gRPC, autocannon for HTTP) beside our own
 * harness, and each printed next to its references from the same run: the empty RPC on the
 * same server under the same tool, redis-benchmark of the same commands, pgbench of the same
 * SQL. Concurrency sweep, warm-up first, server CPU per call read from /proc. Real PostgreSQL
 * and three Redis masters (npm run services:up). Writes docs/performance/onsale.json.
 *
 *   npm run services:up && source scripts/services/env.sh && npm run bench:onsale-calls
 *   BENCH_SECONDS (5 a run; CI: 1)   BENCH_CONCURRENCY (1,16,64)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { CatalogService } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
import { createPostgresTicketInventory } from "../services/booking/adapters/postgres/postgres-ticket-inventory.js";
import { createPostgresPaymentLedger } from "../services/booking/adapters/postgres/postgres-payment-ledger.js";
import { catalogService } from "../services/catalog/catalog-service.js";
import { createDevTokenIssuer } from "../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier } from "../services/shared/auth/token-verifier.js";
import { InMemoryCache } from "../services/shared/cache/in-memory-cache.js";
import { createRedisQuorumHoldReader } from "../services/shared/holds/redis-quorum-hold-reader.js";
import { createLogger } from "../services/shared/logging/logger.js";
import { closeRedisClients, createRedisClients } from "../services/shared/redis/redis-clients.js";
import { createGrpcJsTransport } from "../services/shared/rpc/grpc-js/grpc-js-transport.js";
import { startService } from "../services/shared/server/start-service.js";
import { InProcessTicketStatusBus } from "../services/shared/ticket-events/in-process-ticket-status-bus.js";
import { eventInput, venueInput } from "../test/catalog/catalog-fixture.js";
import { createTestDatabase, redisLockUrls } from "../test/support/real-services.js";
import { freePort } from "../test/support/spawned-service.js";
import { loadAverage } from "./bench-stats.js";
import { BENCH_OUT as OUT, REPO, runNodeChildJson } from "./support/child-process.js";
import { printFigures, type FigureRow } from "./support/figure-table.js";
import { seatMap } from "./support/seat-map.js";
import { buildProtoset, runGhz, type GhzRun, type LoadFigures } from "./support/ghz.js";
import { cpuDuring } from "./support/process-cpu.js";
import { pgbench, redisBenchmark } from "./support/reference-tools.js";
import { startServiceProcess, waitHttpOk, waitServing } from "./support/service-process.js";
import { HOLD_SCRIPT_SOURCE } from "../services/shared/holds/hold-scripts.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SWEEP = (process.env.BENCH_CONCURRENCY ?? "1,16,64").split(",").map(Number);
const PEAK = Math.max(...SWEEP);
// BENCH_PHASES=reserve,confirm,edge (all by default): a profile of one path (BENCH_PROFILE=1) runs only it.
const PHASES = new Set((process.env.BENCH_PHASES ?? "reserve,confirm,edge").split(","));
const WORK = join(REPO, ".services/bench-onsale");
const auth = { AUTH_MODE: "dev", AUTH_DEV_SECRET: "bench-onsale-secret-0123456789", AUTH_ISSUER: "boxoffice-dev", AUTH_AUDIENCE: "boxoffice" };
const authSettings = { mode: "dev" as const, devSecret: auth.AUTH_DEV_SECRET, issuer: auth.AUTH_ISSUER, audience: auth.AUTH_AUDIENCE };
const HEALTH = { proto: "health/v1/health.proto", importPaths: ["node_modules/grpc-health-check/proto"], call: "grpc.health.v1.Health/Check" };
const CARD = { card_number: "4242424242424242", exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, cvc: "123" };

const json = (name: string, value: unknown) => {
  const file = join(WORK, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

interface Seat {
  eventId: string;
  ticketId: string;
}

/** Seats handed out to the phases in turn, so every "held" request asks for a free seat. */
function seatBudget(all: Seat[]) {
  let next = 0;
  return (count: number): Seat[] => {
    const seats = all.slice(next, next + count);
    next += seats.length;
    if (seats.length < count) console.log(`note: only ${seats.length} of ${count} free seats left; later requests of that run repeat seats and are refused`);
    return seats.length > 0 ? seats : all.slice(0, 1);
  };
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  const logger = createLogger("bench", "warn");
  const database = await createTestDatabase({ poolMax: 5 });
  const lockNodes = createRedisClients(redisLockUrls());
  const issue = createDevTokenIssuer(authSettings);
  const rows: FigureRow[] = [];
  const references: FigureRow[] = [];
  const stops: Array<() => Promise<void>> = [];
  try {
    // ---- the on-sale: three 50,000-seat events (two for gRPC, one for the edge) -------------------
    const catalog = await startService(
      catalogService({ db: database.db, holds: createRedisQuorumHoldReader(lockNodes), cache: new InMemoryCache(), ticketStatusBus: new InProcessTicketStatusBus(), verifyToken: createTokenVerifier(authSettings) }),
      { host: "127.0.0.1", port: 0 },
      logger,
    );
    const catalogTransport = createGrpcJsTransport({ address: `127.0.0.1:${catalog.port}` });
    const admin = { headers: { authorization: `Bearer ${await issue("bench-admin", ["admin"])}` } };
    const catalogClient = createClient(CatalogService, catalogTransport);
    const sections = seatMap(40, 25, 50);
    const { venue } = await catalogClient.createVenue({ venue: venueInput("Bench Stadium", sections) }, admin);
    const prices = Object.fromEntries(sections.map((section, index) => [section.code, 5_000 + index * 100]));
    const eventIds: string[] = [];
    for (let i = 0; i < 3; i++) eventIds.push((await catalogClient.createEvent({ event: eventInput(venue!.id, prices) }, admin)).event!.id);
    catalogTransport.close();
    await catalog.close(100);
    // ghz sends one buyer's token, so the per-account purchase limit (migration 015, at most 100
    // through the admin API) would refuse all but the first few seats and this would measure
    // refusals. In this bench's own database the limit is lifted past the seats; the buyer's own
    // hold index then grows to every seat it holds, so reserve here is a worse case than a real
    // buyer's (who holds at most the limit). Per-request tokens (ghz metadata arrays) would remove that.
    await database.db.raw("ALTER TABLE events DROP CONSTRAINT IF EXISTS events_purchase_limit_check");
    await database.db("events").whereIn("id", eventIds).update({ purchase_limit: 1_000_000 });
    const seatsOf = async (eventId: string): Promise<Seat[]> =>
      (await database.db("tickets").where({ event_id: eventId }).orderBy("id").select("id")).map((row) => ({ eventId, ticketId: row.id as string }));
    const grpcSeats = seatBudget([...(await seatsOf(eventIds[0]!)), ...(await seatsOf(eventIds[1]!))]);
    const edgeSeats = seatBudget(await seatsOf(eventIds[2]!));
    const buyers = await Promise.all(Array.from({ length: 200 }, (_, index) => issue(`buyer-${index}`)));

    // ---- references from the same run --------------------------------------------------------------
    const lockPort = Number(new URL(redisLockUrls()[0]!).port);
    const redisRow = (what: string, perSecond: number): FigureRow => ({ driver: "redis-benchmark (one node)", rpc: what, concurrency: PEAK, count: 0, perSecond, p50: Number.NaN, p99: Number.NaN });
    const requests = Math.max(20_000, SECONDS * 20_000);
    references.push(redisRow("SET NX PX", await redisBenchmark({ port: lockPort, concurrency: PEAK, requests, command: ["SET", "bench:ticket:__rand_int__", "tok", "NX", "PX", "600000"] })));
    references.push(
      redisRow(
        "reserve's hold script",
        await redisBenchmark({
          port: lockPort,
          concurrency: PEAK,
          requests,
          command: ["EVAL", HOLD_SCRIPT_SOURCE, "4", "bench:ticket:__rand_int__", "bench:event-holds", "bench:user-holds", "bench:reservation:__rand_int__", "tok", "600000", String(Date.now() + 600_000), '{"id":"r"}', "__rand_int__"],
        }),
      ),
    );
    const sample = (await seatsOf(eventIds[0]!)).at(-1)!;
    // Reserve remembers the event for a second, so a reserve reads only its tickets.
    const reserveSql = await capturedSql(database, async (inventory) => {
      await inventory.findTickets([sample.ticketId]);
    });
    const reservePg = await pgbench({ url: database.url, scriptFile: writeScript("reserve.sql", reserveSql), clients: PEAK, seconds: SECONDS });
    references.push({ driver: "pgbench", rpc: "reserve's SELECT of its tickets", concurrency: PEAK, count: 0, perSecond: reservePg.perSecond, p50: reservePg.averageMs, p99: Number.NaN });

    // ---- the booking service and the edge, each its own process ------------------------------------
    const [bookingPort, bookingAdmin, edgePort] = await Promise.all([freePort(), freePort(), freePort()]);
    const booking = startServiceProcess("services/booking/main.ts", {
      ...auth,
      DATABASE_URL: database.url,
      REDIS_LOCK_URLS: redisLockUrls().join(","),
      BOOKING_PORT: String(bookingPort),
      BOOKING_ADMIN_PORT: String(bookingAdmin),
      BOOKING_RECOVERY_INTERVAL_SECONDS: "3600",
    });
    stops.push(booking.stop);
    const bookingAddress = `127.0.0.1:${bookingPort}`;
    await waitServing(bookingAddress);
    const edge = startServiceProcess("services/edge/main.ts", {
      ...auth,
      PORT: String(edgePort),
      EDGE_ADMIN_PORT: "0",
      BOOKING_SERVICE_ADDR: bookingAddress,
      CATALOG_SERVICE_ADDR: `127.0.0.1:${await freePort()}`,
      SEARCH_SERVICE_ADDR: `127.0.0.1:${await freePort()}`,
      // An on-sale from one address and a few users: the limits would measure themselves.
      EDGE_RATE_LIMIT_PER_IP: "100000000",
      EDGE_RATE_LIMIT_PER_USER: "100000000",
    });
    stops.push(edge.stop);
    const edgeUrl = `http://127.0.0.1:${edgePort}`;
    await waitHttpOk(`${edgeUrl}/healthz`);

    const PROTO = { protoset: await buildProtoset(join(WORK, "boxoffice.protoset")) };
    const RESERVE = { ...PROTO, call: "boxoffice.booking.v1.BookingService/ReserveTickets" };
    const CONFIRM = { ...PROTO, call: "boxoffice.booking.v1.BookingService/ConfirmBooking" };
    const ghzOn = (what: Pick<GhzRun, "call" | "proto" | "importPaths" | "protoset">, dataFile: string, concurrency: number, metadata?: Record<string, string>) =>
      runGhz({ ...what, address: bookingAddress, dataFile, concurrency, durationSeconds: SECONDS, metadata });
    const measure = async (pid: number, driver: string, rpc: string, concurrency: number, load: () => Promise<LoadFigures & { clientCpuMsPerCall?: number }>, reference?: FigureRow) => {
      const { result, cpuMs } = await cpuDuring(pid, load);
      const row: FigureRow = { driver, rpc, concurrency, ...result, serverCpuMsPerCall: cpuMs / Math.max(1, result.count) };
      if (reference) Object.assign(row, { reference: `${reference.rpc} (${reference.driver})`, ratio: row.perSecond / reference.perSecond });
      rows.push(row);
      return row;
    };
    const harness = (job: object) => runNodeChildJson<LoadFigures & { clientCpuMsPerCall: number }>("bench/support/booking-load-client.ts", [json(`harness-${rows.length}.json`, job)]);
    const buyer = { authorization: `Bearer ${buyers[0]}` };
    // ghz sends the data file's messages round robin: one free seat each, enough for the run.
    const reserveData = (seats: Seat[]) => json(`reserve-${rows.length}.json`, seats.map((seat) => ({ event_id: seat.eventId, ticket_ids: [seat.ticketId] })));
    const budget = (concurrency: number, perSecond: number) => Math.ceil(SECONDS * (concurrency === 1 ? perSecond / 3 : perSecond) * 1.3);

    // warm-up: JIT, connections, pools, the scripts loaded on every node
    await ghzOn(HEALTH, json("health.json", { service: "" }), 16);
    await ghzOn(RESERVE, reserveData(grpcSeats(1_000)), 16, buyer);

    // ---- reserve: ghz sweep, held and refused, beside the empty RPC --------------------------------
    const empties = new Map<number, FigureRow>();
    for (const concurrency of SWEEP) {
      const empty = await measure(booking.pid, "ghz → booking", "empty RPC (Health/Check)", concurrency, () => ghzOn(HEALTH, join(WORK, "health.json"), concurrency));
      empties.set(concurrency, empty);
      if (PHASES.has("reserve")) {
        await measure(booking.pid, "ghz → booking", "ReserveTickets, held", concurrency, () => ghzOn(RESERVE, reserveData(grpcSeats(budget(concurrency, 1_800))), concurrency, buyer), empty);
      }
    }

    // ---- our harness: 200 buyers, a token each; their reservations are confirmed next --------------
    const manyBuyers = join(WORK, "reservations-many.json");
    const heldByMany = grpcSeats(budget(PEAK, 800));
    await measure(booking.pid, "harness (grpc-js, 200 buyers) → booking", "ReserveTickets, held", PEAK, () =>
      harness({ mode: "reserve", address: bookingAddress, tokens: buyers, concurrency: PEAK, reservationsFile: manyBuyers, seats: heldByMany }),
    );
    if (PHASES.has("reserve")) {
      // Refused: every request asks for a seat the harness holds.
      const held = heldByMany.slice(0, 1_000).map((seat) => ({ event_id: seat.eventId, ticket_ids: [seat.ticketId] }));
      await measure(booking.pid, "ghz → booking", "ReserveTickets, refused", PEAK, () => ghzOn(RESERVE, json("reserve-taken.json", held), PEAK, buyer), empties.get(PEAK));
    }
    const card = { cardNumber: CARD.card_number, expMonth: CARD.exp_month, expYear: CARD.exp_year, cvc: CARD.cvc };
    if (PHASES.has("confirm")) await measure(booking.pid, "harness (grpc-js, 200 buyers) → booking", "ConfirmBooking (held seat)", PEAK, () =>
      harness({ mode: "confirm", address: bookingAddress, reservationsFile: manyBuyers, concurrency: PEAK, card }),
      empties.get(PEAK),
    );

    // ---- pgbench of confirm's own SQL: the statements the adapters send, captured, one fresh seat each
    if (PHASES.has("confirm")) {
      const script = await confirmScript(database, grpcSeats(1)[0]!, grpcSeats(budget(PEAK, 1_500)));
      const confirmPg = await pgbench({ url: database.url, scriptFile: script, clients: PEAK, seconds: SECONDS });
      // The script must really sell seats, or its figure is not confirm's.
      const sold = Number((await database.db("bookings").where("user_id", "like", "pgbench-%").count<Array<{ count: string }>>("* as count"))[0]!.count);
      if (sold < confirmPg.perSecond * SECONDS * 0.5) throw new Error(`pgbench's confirm script sold ${sold} seats in ${SECONDS}s at ${confirmPg.perSecond}/s: it is not doing confirm's work`);
      references.push({ driver: "pgbench", rpc: "confirm's 5 statements (book_tickets one of them)", concurrency: PEAK, count: 0, perSecond: confirmPg.perSecond, p50: confirmPg.averageMs, p99: Number.NaN });
    }

    // ---- confirm under ghz: one buyer's reservations (ghz sends one token), each confirmed once -----
    for (const concurrency of PHASES.has("confirm") ? SWEEP : []) {
      const file = join(WORK, `reservations-ghz-${concurrency}.json`);
      await harness({ mode: "reserve", address: bookingAddress, tokens: [buyers[0]], concurrency: PEAK, reservationsFile: file, seats: grpcSeats(budget(concurrency, 700)) });
      const held = JSON.parse(readFileSync(file, "utf8")) as Array<{ reservationId: string }>;
      const data = json(`confirm-${concurrency}.json`, held.map(({ reservationId }) => ({ reservation_id: reservationId, idempotency_key: `ghz-${reservationId}`, payment_details: CARD })));
      await measure(booking.pid, "ghz → booking", "ConfirmBooking (held seat)", concurrency, () => ghzOn(CONFIRM, data, concurrency, buyer), empties.get(concurrency));
    }

    // ---- through the edge (HTTP/1.1, what browsers use): REST and Connect, beside its empty call ---
    const http = (path: string, bodies: unknown[] | undefined, concurrency: number) =>
      runNodeChildJson<LoadFigures>("bench/support/http-load-client.ts", [
        json(`http-${rows.length}.json`, {
          url: `${edgeUrl}${path}`,
          method: "POST",
          bodiesFile: bodies ? json(`bodies-${rows.length}.json`, bodies) : undefined,
          headers: { "content-type": "application/json", authorization: `Bearer ${buyers[1]}` },
          connections: concurrency,
          seconds: SECONDS,
        }),
      ]);
    if (PHASES.has("edge")) {
    const edgeReserve = (seats: Seat[]) => seats.map((seat) => ({ eventId: seat.eventId, ticketIds: [seat.ticketId] }));
    // warm-up: the edge loads its routes' code on first use
    await http("/grpc.health.v1.Health/Check", [{ service: "" }], 16);
    await http("/booking/reserve", edgeReserve(edgeSeats(500)), 16);
    const edgeEmpty = await measure(edge.pid, "autocannon → edge (Connect)", "empty RPC (Health/Check, at the edge)", PEAK, () => http("/grpc.health.v1.Health/Check", [{ service: "" }], PEAK));
    const direct = rows.find((row) => row.rpc === "ReserveTickets, held" && row.concurrency === PEAK && row.driver.startsWith("ghz"));
    for (const [driver, path] of [
      ["autocannon → edge (REST)", "/booking/reserve"],
      ["autocannon → edge (Connect)", "/boxoffice.booking.v1.BookingService/ReserveTickets"],
    ] as const) {
      const row = await measure(edge.pid, driver, "ReserveTickets, held", PEAK, () => http(path, edgeReserve(edgeSeats(budget(PEAK, 1_000))), PEAK), edgeEmpty);
      // The edge's own CPU per call beside the booking service's for the same call made directly.
      row.clientCpuMsPerCall = direct?.serverCpuMsPerCall;
    }
    }

    printFigures(`On-sale, one box (${SECONDS}s a run, load ${loadAverage()}); srv cpu: the process serving, ms per call`, [...references, ...rows]);
    mkdirSync(OUT, { recursive: true });
    const out = join(OUT, "onsale.json");
    writeFileSync(out, JSON.stringify({ measuredAt: new Date().toISOString(), seconds: SECONDS, references, rows }, null, 2) + "\n");
    console.log(`\nwritten ${out}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await closeRedisClients(lockNodes);
    await database.drop();
  }
}

/** The SQL a piece of the inventory sends, with its bindings inlined, as pgbench will send it. */
async function capturedSql(
  database: Awaited<ReturnType<typeof createTestDatabase>>,
  work: (inventory: ReturnType<typeof createPostgresTicketInventory>, ledger: ReturnType<typeof createPostgresPaymentLedger>) => Promise<void>,
): Promise<string[]> {
  const statements: string[] = [];
  const listener = (query: { sql: string; bindings?: unknown[] }) => statements.push(database.db.raw(query.sql.replace(/\$\d+/g, "?"), (query.bindings ?? []) as never).toString());
  database.db.on("query", listener);
  try {
    await work(createPostgresTicketInventory(database.db), createPostgresPaymentLedger(database.db, "simulated"));
  } finally {
    database.db.off("query", listener);
  }
  return statements;
}

/**
 * Confirm's SQL as the adapters send it (captured from a real sale of one seat), turned into a
 * pgbench script: each transaction takes the next seat of a table of free seats and sells it
 * with the same statements, values replaced by pgbench variables.
 */
async function confirmScript(database: Awaited<ReturnType<typeof createTestDatabase>>, sample: Seat, seats: Seat[]): Promise<string> {
  const KEY = "SENTINEL-KEY";
  // A buyer per transaction: the purchase limit (migration 015) lets one account buy only a few seats of an event.
  const USER = "SENTINEL-USER";
  const PROVIDER = "SENTINEL-PROVIDER";
  const BOOKING = "00000000-0000-4000-8000-00000000b00c";
  let paymentId = "";
  const statements = await capturedSql(database, async (inventory, ledger) => {
    await ledger.findByIdempotencyKey(USER, KEY);
    const { tickets } = await inventory.findOrder!(sample.eventId, [sample.ticketId]);
    const payment = await ledger.begin({ userId: USER, idempotencyKey: KEY, amountMinor: tickets[0]!.priceMinor, currency: tickets[0]!.currency, ticketIds: [sample.ticketId], reservationId: null });
    paymentId = payment!.id;
    await inventory.bookTickets({ bookingId: BOOKING, userId: USER, eventId: sample.eventId, tickets, totalMinor: tickets[0]!.priceMinor, currency: tickets[0]!.currency, idempotencyKey: KEY, reservationId: null, paymentId, providerPaymentId: PROVIDER });
    await ledger.transition(paymentId, "authorized", "captured");
  });
  await database.db.schema.createTable("bench_confirm_seats", (table) => {
    table.integer("n").primary();
    table.uuid("ticket_id");
    table.uuid("event_id");
  });
  await database.db.batchInsert("bench_confirm_seats", seats.map((seat, n) => ({ n: n + 1, ticket_id: seat.ticketId, event_id: seat.eventId })), 1_000);
  await database.db.raw("create sequence bench_confirm_seq");
  const fill = (sql: string) =>
    sql
      .replaceAll(KEY, "pgbench-:n")
      .replaceAll(USER, "pgbench-:n")
      .replaceAll(PROVIDER, "prov-:n")
      .replaceAll(`'${BOOKING}'`, "gen_random_uuid()")
      .replaceAll(paymentId, ":p_id")
      .replaceAll(sample.ticketId, ":ticket_id")
      .replaceAll(sample.eventId, ":event_id");
  const lines = statements.map((sql) => fill(sql.replace(/\s+/g, " ")) + (/^insert into "payments"/i.test(sql) ? " \\gset p_" : ";"));
  const file = join(WORK, "confirm.sql");
  writeFileSync(file, ["select nextval('bench_confirm_seq') as n \\gset", "select ticket_id, event_id from bench_confirm_seats where n = :n \\gset", ...lines].join("\n") + "\n");
  return file;
}

function writeScript(name: string, statements: string[]): string {
  const file = join(WORK, name);
  writeFileSync(file, statements.map((sql) => `${sql.replace(/\s+/g, " ")};`).join("\n") + "\n");
  return file;
}

await main();
process.exit(0);
