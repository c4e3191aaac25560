import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HoldStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { card, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

/** BOOKING_LOCK_TIMEOUT_MS's default; the lock nodes' own command timeout is 1 s (redis-clients.ts). */
const LOCK_TIMEOUT_MS = 1_500;
const NODE_COMMAND_TIMEOUT_MS = 1_000;

/** The pid of the redis-server behind a URL: one of this suite's own nodes, never a shared one. */
async function serverPid(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    return Number(/process_id:(\d+)/.exec(await client.info("server"))![1]);
  } finally {
    client.disconnect();
  }
}

async function timed<T>(call: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call;
  return { value, ms: performance.now() - started };
}

describe.skipIf(!ready)("lock nodes that hang (SIGSTOP), behind the circuit breaker", () => {
  let fixture: BookingFixture;
  let pids: number[];
  const hung = new Set<number>();
  let next = 0;
  const seat = () => fixture.ticketIds[next++]!;
  const hang = (index: number) => {
    process.kill(pids[index]!, "SIGSTOP");
    hung.add(index);
  };
  const wake = () => {
    for (const index of hung) process.kill(pids[index]!, "SIGCONT");
    hung.clear();
  };
  const reserve = async (userId: string) =>
    timed(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat()] }, await fixture.as(userId)).then((r) => r.reservation!));

  // The breaker judges the last 10 s of calls, so the total outage runs first, on a breaker with
  // no healthy history to outweigh its failures.
  beforeAll(async () => {
    // A breaker that stays open long enough for the test to see calls fail fast while it is.
    fixture = await startBookingFixture({ lockTimeoutMs: LOCK_TIMEOUT_MS, breakerResetMs: 3_000 });
    pids = await Promise.all(fixture.redis.urls.map(serverPid));
    // Connections (gRPC, PostgreSQL pool) opened before the clock starts on any call below.
    await fixture.client.listMyBookings({}, await fixture.as("warm-up"));
  }, 120_000);

  afterEach(wake);

  afterAll(async () => {
    wake();
    await fixture?.close();
  });

  it("two hung nodes: reserve degrades within the lock timeout, the breaker opens, later calls degrade at once, and holds resume on SIGCONT", async () => {
    hang(1);
    hang(2);
    let calls = 0;
    while (!fixture.holds.isOpen) {
      calls += 1;
      expect(calls).toBeLessThanOrEqual(6);
      const { value: reservation, ms } = await reserve(`slow-${calls}`);
      expect(reservation.holdStatus).toBe(HoldStatus.DEGRADED_NO_HOLD);
      expect(ms).toBeLessThan(LOCK_TIMEOUT_MS + 500);
    }
    const { value: reservation, ms } = await reserve("fast");
    expect(reservation.holdStatus).toBe(HoldStatus.DEGRADED_NO_HOLD);
    expect(ms).toBeLessThan(NODE_COMMAND_TIMEOUT_MS / 2);
    // Selling goes on against the database while the breaker is open.
    const direct = await fixture.client.confirmBooking(
      { eventId: fixture.eventId, ticketIds: reservation.ticketIds, paymentDetails: card(), idempotencyKey: "fast-direct" },
      await fixture.as("fast"),
    );
    expect(direct.booking?.tickets.map((ticket) => ticket.ticketId)).toEqual(reservation.ticketIds);

    wake();
    await eventually(async () => expect((await reserve("after")).value.holdStatus).toBe(HoldStatus.HELD), 15_000, 250);
    expect(fixture.holds.isOpen).toBe(false);
  });

  it("one hung node of three: holds keep their quorum of two and no call waits for the hung node", async () => {
    hang(2);
    for (const buyer of ["pia", "quinn", "rosa", "sam"]) {
      const { value: reservation, ms } = await reserve(buyer);
      expect(reservation.holdStatus).toBe(HoldStatus.HELD);
      expect(ms).toBeLessThan(NODE_COMMAND_TIMEOUT_MS);
      const confirmed = await timed(
        fixture.client.confirmBooking({ reservationId: reservation.id, paymentDetails: card(), idempotencyKey: `${buyer}-hung-one` }, await fixture.as(buyer)),
      );
      expect(confirmed.value.booking?.tickets.map((ticket) => ticket.ticketId)).toEqual(reservation.ticketIds);
      expect(confirmed.ms).toBeLessThan(NODE_COMMAND_TIMEOUT_MS);
    }
    expect(fixture.holds.isOpen).toBe(false);
  });
});
