import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdempotencyKeyReusedError } from "../../services/booking/adapters/payments/simulated-payment-books.js";
import { ProviderUnavailableError, SimulatedPaymentProvider } from "../../services/booking/adapters/payments/simulated-payment-provider.js";
import { closeDatabase, createDatabase, migrateToLatest } from "../../services/shared/db/database.js";
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from "../support/real-services.js";

const request = (number: string, idempotencyKey: string, amountMinor = 1_000) => ({
  amountMinor,
  currency: "GBP",
  idempotencyKey,
  card: { number, expMonth: 12, expYear: 2030, cvc: "123", holderName: "T" },
});

const PAYS = "4242424242424242";
const havePostgres = requireService("PostgreSQL", await postgresAvailable());

/** The same behaviour on both stores the simulator runs on: PostgreSQL (services, tests) and PGlite (the embedded default). */
const backends: Array<{ name: string; skip: boolean; open(): Promise<{ db: Knex; close(): Promise<void> }> }> = [
  {
    name: "PostgreSQL",
    skip: !havePostgres,
    async open() {
      const database: TestDatabase = await createTestDatabase();
      return { db: database.db, close: () => database.drop() };
    },
  },
  {
    name: "PGlite",
    skip: false,
    async open() {
      const db = createDatabase({ kind: "pglite" });
      await migrateToLatest(db);
      return { db, close: () => closeDatabase(db) };
    },
  },
];

describe.each(backends)("the simulated payment provider on $name", ({ skip, open }) => {
  let store: Awaited<ReturnType<typeof open>>;
  let provider: SimulatedPaymentProvider;
  let keys = 0;
  const key = () => `key-${++keys}`;

  beforeAll(async () => {
    if (skip) return;
    store = await open();
    provider = new SimulatedPaymentProvider(store.db);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  it.skipIf(skip)("follows the test cards: 4242 pays, 0002 is declined, 9995 lacks funds, anything else is invalid", async () => {
    expect((await provider.authorize(request(PAYS, key()))).kind).toBe("authorized");
    expect(await provider.authorize(request("4000000000000002", key()))).toEqual({ kind: "declined", reason: "card_declined" });
    expect(await provider.authorize(request("4000000000009995", key()))).toEqual({ kind: "declined", reason: "insufficient_funds" });
    expect(await provider.authorize(request("4111111111111111", key()))).toEqual({ kind: "declined", reason: "invalid_card" });
  });

  it.skipIf(skip)("answers a repeated authorize key with the first outcome, never a second authorization", async () => {
    const k = key();
    const first = await provider.authorize(request(PAYS, k));
    expect(await provider.authorize(request(PAYS, k))).toEqual(first);
    expect((await provider.payments()).filter((p) => p.idempotencyKey === k)).toHaveLength(1);
    const declinedKey = key();
    await provider.authorize(request("4000000000000002", declinedKey));
    expect(await provider.authorize(request(PAYS, declinedKey))).toEqual({ kind: "declined", reason: "card_declined" });
  });

  it.skipIf(skip)("refuses a repeated authorize key with another amount, as a real provider does", async () => {
    const k = key();
    await provider.authorize(request(PAYS, k, 1_000));
    await expect(provider.authorize(request(PAYS, k, 1_500))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect((await provider.payments()).filter((p) => p.idempotencyKey === k).map((p) => p.amountMinor)).toEqual([1_000]);
  });

  it.skipIf(skip)("an unreachable failure does nothing; a lost answer does the work and still fails", async () => {
    const [x, y] = [key(), key()];
    provider.failNext("authorize", 1);
    await expect(provider.authorize(request(PAYS, x))).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await provider.lookup(x)).toBeUndefined();
    provider.failNext("authorize", 1, "answer_lost");
    await expect(provider.authorize(request(PAYS, y))).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect((await provider.lookup(y))?.status).toBe("authorized");
  });

  it.skipIf(skip)("moves a payment authorized → captured → refunded, or authorized → voided, and refuses the rest", async () => {
    const k = key();
    const result = await provider.authorize(request(PAYS, k));
    if (result.kind !== "authorized") throw new Error("not authorized");
    await provider.capture(result.providerPaymentId, `${k}:cap`);
    await expect(provider.void(result.providerPaymentId, `${k}:void`)).rejects.toThrow(/cannot void a payment that is captured/);
    await provider.refund(result.providerPaymentId, `${k}:ref`);
    // A repeated key succeeds without effect, even once the payment has moved on.
    await provider.refund(result.providerPaymentId, `${k}:ref`);
    await provider.capture(result.providerPaymentId, `${k}:cap`);
    expect((await provider.lookup(k))?.status).toBe("refunded");
  });

  it.skipIf(skip)("keeps its books in the database: another replica, or this one restarted, sees and moves every payment", async () => {
    const k = key();
    const result = await provider.authorize(request(PAYS, k));
    const replica = new SimulatedPaymentProvider(store.db);
    expect(await replica.lookup(k)).toEqual({ providerPaymentId: (result as { providerPaymentId: string }).providerPaymentId, status: "authorized" });
    await replica.void((result as { providerPaymentId: string }).providerPaymentId, `${k}:void`);
    expect((await provider.lookup(k))?.status).toBe("voided");
    await expect(provider.capture((result as { providerPaymentId: string }).providerPaymentId, `${k}:cap`)).rejects.toThrow(/cannot capture a payment that is voided/);
  });

  it.skipIf(skip)("two replicas authorizing one key at once make one authorization, and both answer with it", async () => {
    const k = key();
    const replicas = Array.from({ length: 6 }, () => new SimulatedPaymentProvider(store.db));
    const answers = await Promise.all(replicas.map((replica) => replica.authorize(request(PAYS, k))));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect((await provider.payments()).filter((p) => p.idempotencyKey === k)).toHaveLength(1);
  });
});
