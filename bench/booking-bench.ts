/**
 * Reserve and confirm under contention (1,000 buyers, 200 seats) on real PostgreSQL and three
 * Redis masters, printed beside the physical references measured in the same run:
 * redis-benchmark of the same SET NX PX on one node, and pgbench of the same conditional UPDATE.
 *
 *   npm run services:up && source scripts/services/env.sh && npm run bench:booking
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Redis } from "ioredis";
import type { Knex } from "knex";
import { BookingService, HoldStatus } from "../gen/boxoffice/booking/v1/booking_pb.js";
import { HoldRecordReservationStore } from "../services/booking/adapters/holds/hold-record-reservation-store.js";
import { SimulatedPaymentProvider } from "../services/booking/adapters/payments/simulated-payment-provider.js";
import { bookingService } from "../services/booking/booking-service.js";
import { seedDemoData } from "../services/catalog/demo/demo-seeder.js";
import { createDevTokenIssuer } from "../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier } from "../services/shared/auth/token-verifier.js";
import { BreakerGuardedHolds } from "../services/shared/holds/breaker-guarded-holds.js";
import { RedisTicketHolds } from "../services/shared/holds/redis-ticket-holds.js";
import { createLogger } from "../services/shared/logging/logger.js";
import { closeRedisClients, createRedisClients } from "../services/shared/redis/redis-clients.js";
import { startService } from "../services/shared/server/start-service.js";
import { InProcessTicketStatusBus } from "../services/shared/ticket-events/in-process-ticket-status-bus.js";
import { createTestDatabase, redisLockUrls } from "../test/support/real-services.js";
import { loadAverage, printTable, summarize, timedPool, type Summary } from "./bench-stats.js";

const BUYERS = Number(process.env.BENCH_BUYERS ?? 1_000);
const SEATS = Number(process.env.BENCH_SEATS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const PGBENCH_SECONDS = Number(process.env.BENCH_PGBENCH_SECONDS ?? 10);
const REDIS_REQUESTS = 50_000;

const auth = { mode: "dev" as const, devSecret: "bench-secret-0123456789abcdef", issuer: "boxoffice-dev", audience: "boxoffice" };

const codeName = (error: unknown) => Code[ConnectError.from(error).code];

async function main() {
  const database = await createTestDatabase({ poolMax: 20 });
  await seedDemoData(database.db, { events: 3 });
  // Ordinary events: a high-demand one sells only through its waiting room.
  const events = await database.db("events").where("starts_at", ">", new Date()).where({ high_demand: false }).orderBy("starts_at").select("id").limit(2);
  const seatsOf = async (eventId: string) =>
    (await database.db("tickets").where({ event_id: eventId }).orderBy("id").limit(SEATS).select("id")).map((t) => t.id as string);
  const [event, referenceEvent] = events as Array<{ id: string }>;
  const seats = await seatsOf(event!.id);
  if (seats.length < SEATS) throw new Error(`the demo event has only ${seats.length} seats`);
  const lockNodes = createRedisClients(redisLockUrls());
  const logger = createLogger("bench", "silent");
  const holds = new BreakerGuardedHolds(new RedisTicketHolds(lockNodes));
  const booking = bookingService({
    db: database.db,
    holds,
    reservations: new HoldRecordReservationStore(holds),
    payments: new SimulatedPaymentProvider(database.db),
    bus: new InProcessTicketStatusBus(),
    verifyToken: createTokenVerifier(auth),
    settings: { holdTtlMs: 600_000, maxTicketsPerOrder: 8, idempotencyWaitMs: 10_000, confirmDeadlineMs: 30_000, paymentTimeoutMs: 10_000 },
    recovery: { graceMs: 120_000, intervalMs: 3_600_000, maxCaptureAttempts: 20 },
    logger,
  });
  const service = await startService(booking.definition, { host: "127.0.0.1", port: 0 }, logger);
  const client = createClient(BookingService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.port}` }));
  const issue = createDevTokenIssuer(auth);
  const buyers = await Promise.all(
    Array.from({ length: BUYERS }, async (_, index) => ({
      index,
      seat: seats[(index * 7919) % SEATS]!,
      headers: new Headers({ authorization: `Bearer ${await issue(`bench-${index}`)}` }),
      reservationId: "",
    })),
  );

  const reserve = await timedPool(buyers, CONCURRENCY, async (buyer) => {
    try {
      const { reservation } = await client.reserveTickets({ eventId: event!.id, ticketIds: [buyer.seat] }, { headers: buyer.headers });
      // A degraded answer holds nothing: it is not a hold, whatever it cost.
      if (reservation?.holdStatus !== HoldStatus.HELD) return "degraded (no hold)";
      buyer.reservationId = reservation.id;
      return "held";
    } catch (error) {
      return `refused ${codeName(error)}`;
    }
  });
  const holders = buyers.filter((buyer) => buyer.reservationId);
  const confirmHeld = await timedPool(holders, CONCURRENCY, async (buyer) => {
    try {
      await client.confirmBooking({ reservationId: buyer.reservationId, paymentDetails: card, idempotencyKey: `bench-${buyer.index}-held` }, { headers: buyer.headers });
      return "booked";
    } catch (error) {
      return `failed ${codeName(error)}`;
    }
  });
  // Contention without holds: everyone races the database directly for seats already sold.
  const confirmDirect = await timedPool(buyers, CONCURRENCY, async (buyer) => {
    try {
      await client.confirmBooking(
        { eventId: event!.id, ticketIds: [buyer.seat], paymentDetails: card, idempotencyKey: `bench-${buyer.index}-direct` },
        { headers: buyer.headers },
      );
      return "booked";
    } catch (error) {
      return `refused ${codeName(error)}`;
    }
  });
  await service.close(1_000);
  await closeRedisClients(lockNodes);

  const redisRef = await redisSetNxReference();
  const pgRef = await pgbenchReference(database.db, database.url, referenceEvent!.id, await seatsOf(referenceEvent!.id));
  const heldCount = reserve.outcomes["held"] ?? 0;
  printTable(`booking under contention: ${BUYERS} buyers, ${SEATS} seats, ${CONCURRENCY} in flight (${new Date().toISOString()})`, [
    ["ReserveTickets (Redlock over 3 masters, via gRPC)", reserve],
    ["ConfirmBooking of a held seat (authorize+tx+capture)", confirmHeld],
    ["ConfirmBooking direct, all seats already sold", confirmDirect],
    ["reference: redis-benchmark SET NX PX, one node", redisRef],
    ["reference: pgbench conditional UPDATE, same DB", pgRef],
  ]);
  console.log(`\nmachine: ${cpus().length} cores, load average ${loadAverage()} (1/5/15 min) at the end of the run`);
  console.log(`reserve: ${JSON.stringify(reserve.outcomes)}; confirm held: ${JSON.stringify(confirmHeld.outcomes)}; confirm direct: ${JSON.stringify(confirmDirect.outcomes)}`);
  if (heldCount !== SEATS) console.log(`WARNING: ${heldCount} holds for ${SEATS} seats; the lock nodes were not all healthy, the reserve row is not Redlock's cost`);
  console.log(`redis-benchmark: NX set ${redisRef.succeeded} of ${REDIS_REQUESTS} keys (${redisRef.keyspace}-key space)`);
  const booked = pgRef.booking;
  console.log(
    `pgbench: ${pgRef.count} conditional UPDATEs; of the ${booked.count} booking ones ${pgRef.hits} found their seat available ` +
      `(${((100 * pgRef.hits) / booked.count).toFixed(0)}%), the rest were filtered by status; booking UPDATEs alone p50 ${booked.p50.toFixed(2)} ms, p99 ${booked.p99.toFixed(2)} ms`,
  );
  const ratio = (a: number, b: number) => (a / b).toFixed(3);
  console.log(
    `ratios: reserve/SET NX throughput ${ratio(reserve.perSecond, redisRef.perSecond)}, p50 ${(reserve.p50 / redisRef.p50).toFixed(1)}x, p99 ${(reserve.p99 / redisRef.p99).toFixed(1)}x; ` +
      `confirm/UPDATE throughput ${ratio(confirmHeld.perSecond, pgRef.perSecond)}, p50 ${(confirmHeld.p50 / pgRef.p50).toFixed(1)}x, p99 ${(confirmHeld.p99 / pgRef.p99).toFixed(1)}x`,
  );
  await database.drop();
}

const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Bench Buyer" };

/**
 * SET NX PX on one lock node with as many attempts per key as the service bench has buyers per
 * seat (5), under a prefix of its own, so NX really decides: about one SET in five takes a key.
 * The keys are deleted afterwards; the node is shared.
 */
async function redisSetNxReference(): Promise<Summary & { succeeded: number; keyspace: number }> {
  const url = new URL(redisLockUrls()[0]!);
  const keyspace = Math.round(REDIS_REQUESTS / (BUYERS / SEATS));
  const prefix = `bench:${process.pid}:${Date.now()}:ticket:`;
  const output = execFileSync(
    "redis-benchmark",
    ["-h", url.hostname, "-p", url.port || "6379", "-n", String(REDIS_REQUESTS), "-c", String(CONCURRENCY), "-r", String(keyspace), "--csv",
      "SET", `${prefix}__rand_int__`, "holder", "NX", "PX", "600000"],
    { encoding: "utf8" },
  );
  const [header, row] = output.trim().split("\n").slice(-2).map((line) => line.split(",").map((cell) => cell.replaceAll('"', "")));
  const column = (name: string) => Number(row![header!.indexOf(name)]);
  const node = new Redis(url.toString());
  let succeeded = 0;
  for await (const keys of node.scanStream({ match: `${prefix}*`, count: 1_000 }) as AsyncIterable<string[]>) {
    succeeded += keys.length;
    if (keys.length > 0) await node.unlink(...keys);
  }
  node.disconnect();
  return { perSecond: column("rps"), p50: column("p50_latency_ms"), p99: column("p99_latency_ms"), count: REDIS_REQUESTS, succeeded, keyspace };
}

/**
 * pgbench running confirm's conditional UPDATE (postgres-ticket-inventory.ts) on the real
 * tickets table, against 200 seats of another event of the same database: half the
 * transactions book a random seat, half put one back, so the status condition filters about
 * half the updates. pgbench variables are integers, so a seat's id array comes from a 200-row
 * lookup table inside the statement. p50/p99 from pgbench's per-transaction log (--log).
 */
async function pgbenchReference(db: Knex, databaseUrl: string, eventId: string, seatIds: string[]): Promise<Summary & { booking: Summary; hits: number }> {
  const dir = mkdtempSync(join(tmpdir(), "pgbench-"));
  const [{ id: bookingId }] = await db("bookings")
    .insert({ user_id: "pgbench", event_id: eventId, total_minor: 0, currency: "GBP", idempotency_key: "pgbench" })
    .returning("id");
  await db.raw("create table bench_seats (n int primary key, ids uuid[] not null)");
  await db.raw("insert into bench_seats select n, array[id] from unnest(?::uuid[]) with ordinality as s(id, n)", [seatIds]);
  const seatsOf = `any((select ids from bench_seats where n = :n)::uuid[])`;
  writeFileSync(join(dir, "book.sql"), [
    `\\set n random(1, ${seatIds.length})`,
    `update "tickets" set "status" = 'booked', "booking_id" = :booking, "version" = version + 1 where id = ${seatsOf} and "event_id" = :event and "status" = 'available';`,
  ].join("\n"));
  // Puts a seat back without counting as a booking (no version bump), so Δversion counts hits.
  writeFileSync(join(dir, "reset.sql"), [
    `\\set n random(1, ${seatIds.length})`,
    `update "tickets" set "status" = 'available', "booking_id" = null where id = ${seatsOf} and "status" = 'booked';`,
  ].join("\n"));
  const versions = async () => Number((await db("tickets").whereIn("id", seatIds).sum({ total: "version" }))[0]!.total);
  const before = await versions();
  execFileSync("pgbench", [
    "-n", "-M", "prepared", "-c", "16", "-j", "2", "-T", String(PGBENCH_SECONDS),
    "-D", `booking=${bookingId}`, "-D", `event=${eventId}`,
    "-f", join(dir, "book.sql@1"), "-f", join(dir, "reset.sql@1"),
    "--log", `--log-prefix=${join(dir, "tx")}`, databaseUrl,
  ], { encoding: "utf8", cwd: dir });
  const hits = (await versions()) - before;
  // Each line: client_id transaction_no latency_us script_no epoch_s epoch_us
  const lines = readdirSync(dir)
    .filter((name) => name.startsWith("tx."))
    .flatMap((name) => readFileSync(join(dir, name), "utf8").trim().split("\n"))
    .map((line) => line.split(" ").map(Number));
  const epochs = lines.map((fields) => fields[4]! + fields[5]! / 1e6);
  // A loop, not Math.max(...epochs): a fast pgbench logs more transactions than a call's arguments can hold.
  let [first, last] = [Infinity, -Infinity];
  for (const epoch of epochs) [first, last] = [Math.min(first, epoch), Math.max(last, epoch)];
  const wallMs = (last - first) * 1000;
  const latencyMs = (script?: number) => lines.filter((fields) => script === undefined || fields[3] === script).map((fields) => fields[2]! / 1000);
  rmSync(dir, { recursive: true, force: true });
  // Throughput and latency over every conditional UPDATE (both scripts are one); the booking ones apart.
  return { ...summarize(latencyMs(), wallMs), booking: summarize(latencyMs(0), wallMs), hits };
}

await main();
