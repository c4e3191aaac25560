import { Code } from "@connectrpc/connect";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingDatabase, loadBookingConfig } from "../../services/booking/config.js";
import { catalogDatabase, loadCatalogConfig } from "../../services/catalog/config.js";
import { indexerDatabase, loadIndexerConfig } from "../../services/indexer/config.js";
import { loadQueueConfig, queueDatabase } from "../../services/queue/config.js";
import { loadSearchConfig, searchDatabase } from "../../services/search/config.js";
import { closeDatabase, createDatabase } from "../../services/shared/db/database.js";
import { errorDetailsOf, toConnectError } from "../../services/shared/errors/to-connect-error.js";
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from "../support/real-services.js";

const ready = requireService("PostgreSQL", await postgresAvailable());

type Env = Record<string, string>;

// RFC 7515's example P-256 key: the queue's config wants a signing key to load at all.
const SIGNING_JWK = JSON.stringify({
  kty: "EC",
  crv: "P-256",
  kid: "session-timeouts-test",
  x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
  y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
  d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI",
});
const LOCKS = "redis://127.0.0.1:6379,redis://127.0.0.1:6380,redis://127.0.0.1:6381";

/**
 * Each process's own pool factory, from its own typed config (what its main.ts opens). Booking's
 * pool is also the recovery worker's and the refund worker's: they run in the booking process.
 */
const POOLS: Array<{ name: string; prefix: string; application: string; open(env: Env): Knex }> = [
  { name: "catalog", prefix: "CATALOG", application: "boxoffice-catalog", open: (env) => catalogDatabase(loadCatalogConfig({ REDIS_LOCK_URLS: LOCKS, ...env })) },
  { name: "search (its PostgreSQL full text, alone or as the fallback)", prefix: "SEARCH", application: "boxoffice-search", open: (env) => searchDatabase(loadSearchConfig(env)) },
  {
    name: "queue",
    prefix: "QUEUE",
    application: "boxoffice-queue",
    open: (env) => queueDatabase(loadQueueConfig({ REDIS_LOCK_URLS: LOCKS, QUEUE_REDIS_URL: "redis://127.0.0.1:6382", QUEUE_SIGNING_JWK: SIGNING_JWK, ...env })),
  },
  { name: "indexer", prefix: "INDEXER", application: "boxoffice-indexer", open: (env) => indexerDatabase(loadIndexerConfig({ SEARCH_URL: "http://127.0.0.1:9200", ...env })) },
  { name: "booking (the booking path, the recovery worker, the refund worker)", prefix: "BOOKING", application: "boxoffice-booking", open: (env) => bookingDatabase(loadBookingConfig({ REDIS_LOCK_URLS: LOCKS, ...env })) },
];

describe("every process's pool settings are checked at start-up", () => {
  it.each(POOLS)("$name: a lock timeout longer than the statement timeout, zero, or past ten minutes stops the process naming the variable", ({ prefix, open }) => {
    const url = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/d" };
    expect(() => open({ ...url, [`${prefix}_DB_STATEMENT_TIMEOUT_MS`]: "1000", [`${prefix}_DB_LOCK_TIMEOUT_MS`]: "2000" })).toThrow(new RegExp(`${prefix}_DB_LOCK_TIMEOUT_MS.*must not be longer than ${prefix}_DB_STATEMENT_TIMEOUT_MS`));
    expect(() => open({ ...url, [`${prefix}_DB_STATEMENT_TIMEOUT_MS`]: "0" })).toThrow(new RegExp(`${prefix}_DB_STATEMENT_TIMEOUT_MS`));
    expect(() => open({ ...url, [`${prefix}_DB_LOCK_TIMEOUT_MS`]: "600001" })).toThrow(new RegExp(`${prefix}_DB_LOCK_TIMEOUT_MS`));
  });
});

describe.skipIf(!ready)("every process's PostgreSQL sessions carry statement_timeout and lock_timeout (real PostgreSQL)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function withPool<T>(open: (env: Env) => Knex, prefix: string, timeouts: { statementMs: number; lockMs: number }, use: (db: Knex) => Promise<T>): Promise<T> {
    const db = open({ DATABASE_URL: database.url, [`${prefix}_DB_STATEMENT_TIMEOUT_MS`]: String(timeouts.statementMs), [`${prefix}_DB_LOCK_TIMEOUT_MS`]: String(timeouts.lockMs) });
    try {
      return await use(db);
    } finally {
      await closeDatabase(db);
    }
  }

  describe.each(POOLS)("$name", ({ prefix, application, open }) => {
    it("every session starts with the configured bounds and names its process", async () => {
      await withPool(open, prefix, { statementMs: 4_000, lockMs: 1_500 }, async (db) => {
        const sessions = await Promise.all(
          [1, 2, 3].map(() =>
            db.transaction(async (trx) => {
              const { rows } = await trx.raw<{ rows: Array<{ statement: string; lock: string; name: string }> }>(
                "select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock, current_setting('application_name') as name",
              );
              return rows[0];
            }),
          ),
        );
        for (const session of sessions) expect(session).toEqual({ statement: "4s", lock: "1500ms", name: application });
      });
    });

    it("a statement running past the statement timeout is cancelled, and answered DEADLINE_EXCEEDED with a message", async () => {
      await withPool(open, prefix, { statementMs: 300, lockMs: 200 }, async (db) => {
        const error = (await db.raw("select pg_sleep(20)").then(() => undefined, (caught: unknown) => caught)) as { code?: string } | undefined;
        expect(error?.code).toBe("57014");
        const wire = toConnectError(error);
        expect(wire.code).toBe(Code.DeadlineExceeded);
        expect(wire.rawMessage).toMatch(/statement timeout/);
        expect(errorDetailsOf(wire)).toMatchObject({ reason: "database_statement_timeout" });
        // The session was not lost with the statement: the pool goes on serving.
        expect((await db.raw<{ rows: Array<{ one: number }> }>("select 1 as one")).rows[0]?.one).toBe(1);
      });
    });

    it("a wait for a lock past the lock timeout fails at once, and is answered UNAVAILABLE with a message", async () => {
      // Another session holds the events table; the statement timeout is far off, so only lock_timeout can stop the wait.
      const holder = await database.db.transaction();
      try {
        await holder.raw("lock table events in access exclusive mode");
        await withPool(open, prefix, { statementMs: 10_000, lockMs: 200 }, async (db) => {
          const error = (await db("events").select("id").first().then(() => undefined, (caught: unknown) => caught)) as { code?: string } | undefined;
          expect(error?.code).toBe("55P03");
          const wire = toConnectError(error);
          expect(wire.code).toBe(Code.Unavailable);
          expect(wire.rawMessage).toMatch(/lock timeout/);
          expect(errorDetailsOf(wire)).toMatchObject({ reason: "database_lock_timeout" });
        });
      } finally {
        await holder.rollback();
      }
    });
  });
});

describe("the embedded default (PGlite)", () => {
  it("accepts SET statement_timeout but never fires it: the embedded platform is bounded by its callers' deadlines and signals alone", async () => {
    const db = createDatabase({ kind: "pglite" });
    try {
      await db.raw("set statement_timeout = 50");
      expect((await db.raw<{ rows: Array<{ statement_timeout: string }> }>("show statement_timeout")).rows[0]?.statement_timeout).toBe("50ms");
      // Were it ever to fire, this would fail, and database.ts and docs/booking.md would need saying so.
      await expect(db.raw("select pg_sleep(0.3)")).resolves.toBeDefined();
    } finally {
      await closeDatabase(db);
    }
  });
});
