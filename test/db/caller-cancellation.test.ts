import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { createPostgresEventStore } from "../../services/catalog/adapters/postgres/postgres-event-store.js";
import { createEventReader } from "../../services/catalog/domain/event-reader.js";
import { loadSearchConfig, searchDatabase } from "../../services/search/config.js";
import { searchService } from "../../services/search/search-service.js";
import { InMemoryCache } from "../../services/shared/cache/in-memory-cache.js";
import { closeDatabase } from "../../services/shared/db/database.js";
import type { HoldReader } from "../../services/shared/holds/ticket-holds.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { startService, type StartedService } from "../../services/shared/server/start-service.js";
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from "../support/real-services.js";
import { eventually } from "../support/spawned-service.js";

const ready = requireService("PostgreSQL", await postgresAvailable());

/**
 * Handlers stop their database work when the caller leaves. Each read here waits on a table
 * another session holds, with lock and statement timeouts far away (20 s, 30 s): the only thing
 * that can end the wait within the test is the caller's cancel reaching PostgreSQL.
 */
describe.skipIf(!ready)("a caller that leaves stops its PostgreSQL work (real PostgreSQL)", () => {
  let database: TestDatabase;
  let db: Knex;
  let service: StartedService;
  const logger = createLogger("test", "silent");

  beforeAll(async () => {
    database = await createTestDatabase();
    db = searchDatabase(loadSearchConfig({ DATABASE_URL: database.url, SEARCH_DB_STATEMENT_TIMEOUT_MS: "30000", SEARCH_DB_LOCK_TIMEOUT_MS: "20000" }));
    service = await startService(searchService({ db }), { host: "127.0.0.1", port: 0 }, logger);
  });
  afterAll(async () => {
    await service?.close(0);
    if (db) await closeDatabase(db);
    await database?.drop();
  });

  /** Sessions of this database waiting on a lock, by application name. */
  async function waitingOnLock(application: string): Promise<number> {
    const { rows } = await database.db.raw<{ rows: Array<{ n: number }> }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = ? and wait_event_type = 'Lock' and state = 'active'",
      [application],
    );
    return rows[0]!.n;
  }

  async function withEventsLocked<T>(use: () => Promise<T>): Promise<T> {
    const holder = await database.db.transaction();
    try {
      await holder.raw("lock table events in access exclusive mode");
      return await use();
    } finally {
      await holder.rollback();
    }
  }

  it("SearchEvents on PostgreSQL: the caller cancels, the call answers CANCELLED and the query is cancelled in PostgreSQL", async () => {
    const client = createClient(SearchService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.port}` }));
    await withEventsLocked(async () => {
      const caller = new AbortController();
      const call = client.searchEvents({ term: "", pageSize: 5 }, { signal: caller.signal }).then(
        () => undefined,
        (error: unknown) => ConnectError.from(error),
      );
      await eventually(async () => expect(await waitingOnLock("boxoffice-search")).toBe(1), 10_000, 50);
      caller.abort();
      expect((await call)?.code).toBe(Code.Canceled);
      // The lock is still held: only the cancel can have ended the wait.
      await eventually(async () => expect(await waitingOnLock("boxoffice-search")).toBe(0), 10_000, 50);
    });
    // The pool's sessions are clean afterwards: the same search answers once the table is free.
    const answer = await client.searchEvents({ term: "", pageSize: 5 });
    expect(answer.backend).toBe("postgres");
  });

  it("an event's view (GetEvent, ListEventTickets) shared by two callers: one leaving keeps the read; when the last leaves it is cancelled", async () => {
    const reader = createEventReader({
      store: createPostgresEventStore(db),
      holds: { holdersOf: async () => new Map(), eventHolds: async () => new Map() } as unknown as HoldReader,
      cache: new InMemoryCache(),
      cacheTtlMs: 60_000,
    });
    const eventId = "00000000-0000-4000-8000-000000000001";
    await withEventsLocked(async () => {
      const [first, second] = [new AbortController(), new AbortController()];
      const outcome = (signal: AbortSignal) => reader.getEvent(eventId, signal).then(() => "answered", (error: { kind?: string }) => error.kind ?? String(error));
      const firstView = outcome(first.signal);
      const secondView = outcome(second.signal);
      await eventually(async () => expect(await waitingOnLock("boxoffice-search")).toBe(1), 10_000, 50);
      first.abort();
      expect(await firstView).toBe("cancelled");
      // The other caller still waits, so the one shared read goes on.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await waitingOnLock("boxoffice-search")).toBe(1);
      second.abort();
      expect(await secondView).toBe("cancelled");
      await eventually(async () => expect(await waitingOnLock("boxoffice-search")).toBe(0), 10_000, 50);
    });
  });
});
