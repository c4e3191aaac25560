import { Code, ConnectError } from "@connectrpc/connect";
import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { closeDatabase, createDatabase, type SessionTimeouts } from "../../services/shared/db/database.js";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { card, codeOf, outcomeOf, startBookingInstance, type BookingInstance } from "./booking-fixture.js";
import { gatedBookingSuite } from "./gated-payments.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

// Outcomes and codes only: whether a deadline stops the work, never how fast.
describe.skipIf(!ready)("confirm's deadlines on the real servers: its own, the caller's, the provider's, PostgreSQL's", () => {
  const instances: BookingInstance[] = [];
  const databases: Knex[] = [];
  const suite = gatedBookingSuite(async () => {
    for (const instance of instances) await instance.close();
    for (const db of databases) await closeDatabase(db);
  });

  /** A second booking service on the same database, nodes and provider, its PostgreSQL sessions bounded as main.ts bounds them. */
  async function instanceWith(sessionTimeouts: SessionTimeouts, options: Parameters<typeof startBookingInstance>[3] = {}) {
    const db = createDatabase({ kind: "postgres", url: suite.fixture.database.url, sessionTimeouts });
    const instance = await startBookingInstance({ ...suite.fixture.database, db }, suite.fixture.lockNodes, suite.fixture.provider, options);
    instances.push(instance);
    databases.push(db);
    return instance;
  }

  /**
   * Recovery settles what the stopped confirm left (its grace is 0 here): an authorization the
   * provider made after the confirm stopped is voided, and the ledger says so.
   */
  async function expectSettledUncharged(userId: string, key: string, reachedProvider: boolean) {
    const { id } = (await suite.fixture.ledgerRow(userId, key))!;
    const atProvider = async () => (await suite.fixture.provider.payments()).find((payment) => payment.idempotencyKey === id);
    // The held authorize goes on once the gate opens; recovery asks the provider only after it landed.
    if (reachedProvider) await eventually(async () => expect(await atProvider()).toBeDefined(), 10_000, 50);
    await suite.fixture.booking.recovery.runOnce();
    const row = await suite.fixture.ledgerRow(userId, key);
    expect(row?.booking_id).toBeNull();
    if (reachedProvider) {
      expect(row?.status).toBe("voided");
      expect((await atProvider())?.status).toBe("voided");
    } else {
      expect(row?.status).toBe("failed");
    }
  }

  it("a confirm still waiting on the provider at its deadline answers DEADLINE_EXCEEDED and books nothing", async () => {
    const ticketId = suite.seat();
    const buyer = await suite.fixture.as("dana");
    suite.fixture.settings.confirmDeadlineMs = 300;
    const gate = suite.gates.arm();
    let reachedProvider = false;
    void gate.entered.then(() => (reachedProvider = true));
    try {
      const outcome = await outcomeOf(
        suite.fixture.client.confirmBooking({ eventId: suite.fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey: "dana-deadline" }, buyer),
      );
      expect((outcome as ConnectError).code).toBe(Code.DeadlineExceeded);
      expect(errorDetailsOf(outcome as ConnectError)).toMatchObject({ reason: "deadline_passed" });
    } finally {
      suite.fixture.settings.confirmDeadlineMs = 30_000;
      gate.open();
    }
    expect((await suite.fixture.database.db("tickets").where({ id: ticketId }).first("status")).status).toBe("available");
    // The provider may still have authorized after the confirm stopped: recovery voids it.
    await expectSettledUncharged("dana", "dana-deadline", reachedProvider);
  });

  it("a caller that cancels while the provider authorizes stops the confirm: the seat is not booked and nothing is charged", async () => {
    const ticketId = suite.seat();
    const buyer = await suite.fixture.as("eli");
    const gate = suite.gates.arm();
    const controller = new AbortController();
    const confirming = codeOf(
      suite.fixture.client.confirmBooking({ eventId: suite.fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey: "eli-cancel" }, { ...buyer, signal: controller.signal }),
    );
    await gate.entered;
    controller.abort();
    expect(await confirming).toBe(Code.Canceled);
    // The service saw the cancellation and recorded the attempt as over before the provider answered.
    await eventually(async () => expect((await suite.fixture.ledgerRow("eli", "eli-cancel"))?.failure_reason).toBe("authorize_unanswered"), 10_000, 100);
    gate.open();
    await expectSettledUncharged("eli", "eli-cancel", true);
    expect((await suite.fixture.database.db("tickets").where({ id: ticketId }).first("status")).status).toBe("available");
    expect(await suite.fixture.database.db("bookings").where({ idempotency_key: "eli-cancel" })).toEqual([]);
  });

  it("a provider that does not answer within BOOKING_PAYMENT_TIMEOUT_MS: UNAVAILABLE, nothing charged, the same key retried completes", async () => {
    const ticketId = suite.seat();
    const instance = await startBookingInstance(suite.fixture.database, suite.fixture.lockNodes, suite.fixture.provider, { payments: () => suite.gates.provider, paymentTimeoutMs: 100 });
    instances.push(instance);
    const buyer = await suite.fixture.as("finn");
    const request = { eventId: suite.fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey: "finn-timeout" };
    const gate = suite.gates.arm();
    const outcome = await outcomeOf(instance.client.confirmBooking(request, buyer));
    gate.open();
    expect((outcome as ConnectError).code).toBe(Code.Unavailable);
    expect(errorDetailsOf(outcome as ConnectError)).toMatchObject({ reason: "payment_provider_unavailable" });
    const { booking } = await instance.client.confirmBooking(request, buyer);
    expect(booking?.tickets.map((ticket) => ticket.ticketId)).toEqual([ticketId]);
  });

  it.each([
    ["lock_timeout", { statementMs: 20_000, lockMs: 150 }],
    ["statement_timeout", { statementMs: 150, lockMs: 20_000 }],
  ] as const)("a seat locked by another transaction past %s: the sale is lost with ABORTED database_busy and the authorization voided", async (_name, timeouts) => {
    const ticketId = suite.seat();
    const instance = await instanceWith(timeouts);
    const buyer = await suite.fixture.as("gus");
    const key = `gus-locked-${timeouts.lockMs}`;
    const blocker = await suite.fixture.database.db.transaction();
    try {
      await blocker("tickets").where({ id: ticketId }).forUpdate().select("id");
      const outcome = await outcomeOf(instance.client.confirmBooking({ eventId: suite.fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey: key }, buyer));
      expect((outcome as ConnectError).code).toBe(Code.Aborted);
      expect(errorDetailsOf(outcome as ConnectError)).toMatchObject({ reason: "database_busy" });
    } finally {
      await blocker.rollback();
    }
    const row = await suite.fixture.ledgerRow("gus", key);
    expect(row).toMatchObject({ status: "voided", failure_reason: "database_busy", booking_id: null });
    expect((await suite.fixture.provider.payments()).find((payment) => payment.providerPaymentId === row!.provider_payment_id)?.status).toBe("voided");
    expect((await suite.fixture.database.db("tickets").where({ id: ticketId }).first("status")).status).toBe("available");
  });
});
