/**
 * Reserve and confirm under contention (1,000 buyers, 200 seats) on real PostgreSQL and three
 * Redis masters, printed beside the physical references measured in the same run:
 * redis-benchmark of the same SET NX PX on one node, and pgbench of the same conditional UPDATE.
 *
 *   npm run services:up && source scripts/services/env.sh && npm run bench:booking
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { BookingService, HoldStatus } from "../gen/boxoffice/booking/v1/booking_pb.js";
import { RedisReservationStore } from "../services/booking/adapters/redis/redis-reservation-store.js";
import { SimulatedPaymentProvider } from "../services/booking/adapters/payments/simulated-payment-provider.js";
import { bookingService } from "../services/booking/booking-service.js";
import { seedDemoData } from "../services/catalog/demo/demo-seeder.js";
import { createDevTokenIssuer } from "../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier } from "../services/shared/auth/token-verifier.js";
import { BreakerGuardedHolds } from "../services/shared/holds/breaker-guarded-holds.js";
import { RedlockTicketHolds } from "../services/shared/holds/redlock-ticket-holds.js";
import { createLogger } from "../services/shared/logging/logger.js";
import { closeRedisClients, createRedisClients } from "../services/shared/redis/redis-clients.js";
import { startService } from "../services/shared/server/start-service.js";
import { InProcessTicketStatusBus } from "../services/shared/ticket-events/in-process-ticket-status-bus.js";
import { createTestDatabase, redisLockUrls } from "../test/support/real-services.js";
import { printTable, timedPool } from "./bench-stats.js";

const BUYERS = Number(process.env.BENCH_BUYERS ?? 1_000);
const SEATS = Number(process.env.BENCH_SEATS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

const auth = { mode: "dev" as const, devSecret: "bench-secret-0123456789abcdef", issuer: "boxoffice-dev", audience: "boxoffice" };

async function main() {
  const database = await createTestDatabase({ poolMax: 20 });
  await seedDemoData(database.db, { events: 3 });
  const [event] = await database.db("events").where("starts_at", ">", new Date()).orderBy("starts_at").select("id").limit(1);
  const seats = (await database.db("tickets").where({ event_id: event.id }).orderBy("id").limit(SEATS).select("id")).map((t) => t.id as string);
  if (seats.length < SEATS) throw new Error(`the demo event has only ${seats.length} seats`);
  const lockNodes = createRedisClients(redisLockUrls());
  const logger = createLogger("bench", "silent");
  const booking = bookingService({
    db: database.db,
    holds: new BreakerGuardedHolds(new RedlockTicketHolds(lockNodes)),
    reservations: new RedisReservationStore(lockNodes),
    payments: new SimulatedPaymentProvider(),
    bus: new InProcessTicketStatusBus(),
    verifyToken: createTokenVerifier(auth),
    settings: { holdTtlMs: 600_000, maxTicketsPerOrder: 8, idempotencyWaitMs: 10_000 },
    recovery: { graceMs: 120_000, intervalMs: 3_600_000 },
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

  const outcomes = new Map<string, number>();
  const count = (name: string) => outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
  const reserve = await timedPool(buyers, CONCURRENCY, async (buyer) => {
    try {
      const { reservation } = await client.reserveTickets({ eventId: event.id, ticketIds: [buyer.seat] }, { headers: buyer.headers });
      if (reservation?.holdStatus === HoldStatus.HELD) buyer.reservationId = reservation.id;
      count("reserve held");
    } catch (error) {
      count(`reserve ${Code[ConnectError.from(error).code]}`);
    }
  });
  const holders = buyers.filter((buyer) => buyer.reservationId);
  const confirmHeld = await timedPool(holders, CONCURRENCY, async (buyer) => {
    await client.confirmBooking(
      { reservationId: buyer.reservationId, paymentDetails: card, idempotencyKey: `bench-${buyer.index}-held` },
      { headers: buyer.headers },
    );
    count("confirm held: booked");
  });
  // Contention without holds: everyone races the database directly for seats already sold.
  const confirmContended = await timedPool(buyers, CONCURRENCY, async (buyer) => {
    try {
      await client.confirmBooking(
        { eventId: event.id, ticketIds: [buyer.seat], paymentDetails: card, idempotencyKey: `bench-${buyer.index}-direct` },
        { headers: buyer.headers },
      );
      count("confirm direct: booked");
    } catch (error) {
      count(`confirm direct ${Code[ConnectError.from(error).code]}`);
    }
  });

  const redisRef = redisSetNxReference();
  const pgRef = pgbenchReference(database.url);
  printTable(`booking under contention: ${BUYERS} buyers, ${SEATS} seats, ${CONCURRENCY} in flight`, [
    ["ReserveTickets (Redlock over 3 masters, via gRPC)", reserve],
    ["ConfirmBooking of a held seat (authorize+tx+capture)", confirmHeld],
    ["ConfirmBooking direct, all seats already sold", confirmContended],
    ["reference: redis-benchmark SET NX PX, one node", redisRef],
    ["reference: pgbench conditional UPDATE, same DB", pgRef],
  ]);
  console.log(`\noutcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  console.log(`ratios: reserve / redis SET NX = ${(reserve.perSecond / redisRef.perSecond).toFixed(3)}; ` +
    `confirm / pgbench UPDATE = ${(confirmHeld.perSecond / pgRef.perSecond).toFixed(3)}; ` +
    `p99 reserve / p99 SET NX = ${(reserve.p99 / Math.max(redisRef.p99, 0.001)).toFixed(1)}`);

  await service.close(1_000);
  await closeRedisClients(lockNodes);
  await database.drop();
}

const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Bench Buyer" };

function redisSetNxReference() {
  const url = new URL(redisLockUrls()[0]!);
  const output = execFileSync(
    "redis-benchmark",
    ["-h", url.hostname, "-p", url.port || "6379", "-n", "50000", "-c", String(CONCURRENCY), "-r", "200", "--csv",
      "SET", "bench:ticket:__rand_int__", "holder", "NX", "PX", "600000"],
    { encoding: "utf8" },
  );
  // CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  const line = output.trim().split("\n").at(-1)!.split(",").map((cell) => Number(cell.replaceAll('"', "")));
  return { perSecond: line[1]!, p50: line[4]!, p99: line[6]!, count: 50_000 };
}

function pgbenchReference(databaseUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), "pgbench-"));
  const script = join(dir, "conditional-update.sql");
  writeFileSync(script, [
    "\\set id random(1, 200)",
    "update bench_tickets set version = version + 1 where id = :id and status = 'available';",
  ].join("\n"));
  const psql = (sql: string) => execFileSync("psql", [databaseUrl, "-qc", sql]);
  psql("create table bench_tickets (id int primary key, status text not null, version int not null default 0)");
  psql("insert into bench_tickets select g, 'available', 0 from generate_series(1, 200) g");
  const output = execFileSync("pgbench", ["-n", "-M", "prepared", "-c", "16", "-j", "2", "-T", "10", "-r", "-f", script, databaseUrl], { encoding: "utf8" });
  const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1]);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1]);
  return { perSecond: tps, p50: latency, count: Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1]) };
}

await main();
