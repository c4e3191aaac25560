import { Code, type ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationSource } from "../../services/shared/db/migrations/index.js";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { createTestDatabase, postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { card, outcomeOf, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const havePostgres = requireService("PostgreSQL", await postgresAvailable());
const ready = havePostgres && requireService("redis-server", await redisServerAvailable());

describe.skipIf(!ready)("idempotency keys are the buyer's own", () => {
  let fixture: BookingFixture;

  beforeAll(async () => {
    fixture = await startBookingFixture();
  }, 120_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it("user 'ann:2026' with key 'checkout-1' and user 'ann' with key '2026:checkout-1' are two orders, each charged once", async () => {
    const [first, second] = fixture.ticketIds;
    const confirm = async (userId: string, ticketId: string, idempotencyKey: string) =>
      (await fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey }, await fixture.as(userId))).booking!;
    // Stored as "user:key", both were the row "ann:2026:checkout-1": the second buyer got the first one's answer.
    const colon = await confirm("ann:2026", first!, "checkout-1");
    const plain = await confirm("ann", second!, "2026:checkout-1");
    expect(plain.id).not.toBe(colon.id);
    expect(plain.tickets.map((t) => t.ticketId)).toEqual([second]);
    // Each retry answers with its own buyer's booking.
    expect((await confirm("ann:2026", first!, "checkout-1")).id).toBe(colon.id);
    expect((await confirm("ann", second!, "2026:checkout-1")).id).toBe(plain.id);
    const rows = await fixture.database.db("payments").whereIn("user_id", ["ann", "ann:2026"]).orderBy("user_id").select("user_id", "idempotency_key", "status", "booking_id");
    expect(rows).toEqual([
      { user_id: "ann", idempotency_key: "2026:checkout-1", status: "captured", booking_id: plain.id },
      { user_id: "ann:2026", idempotency_key: "checkout-1", status: "captured", booking_id: colon.id },
    ]);
  });

  it("a takeover of an unanswered authorize books at the amount authorized under the payment's key", async () => {
    const seat = fixture.ticketIds[2]!;
    const bea = await fixture.as("bea");
    const request = { eventId: fixture.eventId, ticketIds: [seat], paymentDetails: card(), idempotencyKey: "bea-takeover" };
    fixture.provider.failNext("authorize", 1, "answer_lost");
    expect((await outcomeOf(fixture.client.confirmBooking(request, bea))) as ConnectError).toMatchObject({ code: Code.Unavailable });
    const { booking } = await fixture.client.confirmBooking(request, bea);
    const row = await fixture.ledgerRow("bea", "bea-takeover");
    const charged = (await fixture.provider.payments()).filter((p) => p.idempotencyKey === row!.id);
    expect(charged.map((p) => [p.status, p.amountMinor])).toEqual([["captured", row!.amount_minor]]);
    expect(Number(booking!.total!.amountMinor)).toBe(row!.amount_minor);
  });

  it("a takeover after the price changed is refused: the provider's authorization of the old amount is released, nothing else is charged", async () => {
    const seat = fixture.ticketIds[3]!;
    const cy = await fixture.as("cy");
    const request = { eventId: fixture.eventId, ticketIds: [seat], paymentDetails: card(), idempotencyKey: "cy-takeover" };
    fixture.provider.failNext("authorize", 1, "answer_lost");
    expect((await outcomeOf(fixture.client.confirmBooking(request, cy))) as ConnectError).toMatchObject({ code: Code.Unavailable });
    const { price_minor: oldPrice } = await fixture.database.db("tickets").where({ id: seat }).first();
    await fixture.database.db("tickets").where({ id: seat }).update({ price_minor: oldPrice + 500 });

    const refused = (await outcomeOf(fixture.client.confirmBooking(request, cy))) as ConnectError;
    expect(refused.code).toBe(Code.Aborted);
    expect(errorDetailsOf(refused)).toMatchObject({ reason: "price_changed" });
    expect(refused.rawMessage).toMatch(/new idempotency key/);
    expect(await fixture.database.db("tickets").where({ id: seat }).first()).toMatchObject({ status: "available", booking_id: null });

    await fixture.booking.recovery.runOnce();
    const row = await fixture.ledgerRow("cy", "cy-takeover");
    expect(row).toMatchObject({ status: "voided", booking_id: null, amount_minor: oldPrice });
    expect((await fixture.provider.payments()).filter((p) => p.idempotencyKey === row!.id).map((p) => [p.status, p.amountMinor])).toEqual([["voided", oldPrice]]);
    // A new key pays the current price.
    const { booking } = await fixture.client.confirmBooking({ ...request, idempotencyKey: "cy-takeover-2" }, cy);
    expect(Number(booking!.total!.amountMinor)).toBe(oldPrice + 500);
  });
});

describe.skipIf(!havePostgres)("migration 011 on a ledger keyed 'userId:key'", () => {
  it("moves every key beside its user, keeps each row, and then tells the two colliding buyers apart", async () => {
    const database = await createTestDatabase({ migrate: false });
    try {
      const db = database.db;
      const toBefore011 = async () => {
        for (;;) {
          const [, pending] = (await db.migrate.list({ migrationSource })) as [unknown, Array<{ name: string }>];
          if (pending[0]?.name === "011-payment-ledger-integrity") return;
          await db.migrate.up({ migrationSource });
        }
      };
      await toBefore011();
      const row = (userId: string, idempotencyKey: string) => ({
        user_id: userId,
        idempotency_key: idempotencyKey,
        provider: "simulated",
        amount_minor: 100,
        currency: "GBP",
        ticket_ids: [],
      });
      await db("payments").insert([row("ann:2026", "ann:2026:checkout-1"), row("ann", "ann:checkout-2"), row("ops", "written-without-prefix")]);
      await db.migrate.latest({ migrationSource });

      const keys = await db("payments").orderBy("user_id").select("user_id", "idempotency_key");
      expect(keys).toEqual([
        { user_id: "ann", idempotency_key: "checkout-2" },
        { user_id: "ann:2026", idempotency_key: "checkout-1" },
        { user_id: "ops", idempotency_key: "written-without-prefix" },
      ]);
      // The pair is unique, the key alone is not.
      await db("payments").insert(row("ann", "2026:checkout-1"));
      await db("payments").insert(row("bob", "checkout-1"));
      await expect(db("payments").insert(row("ann", "checkout-2"))).rejects.toMatchObject({ code: "23505" });
    } finally {
      await database.drop();
    }
  });
});
