import { randomUUID } from "node:crypto";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Redis } from "ioredis";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { createPostgresEventFacts } from "../../services/queue/adapters/postgres/postgres-event-facts.js";
import { createRedisQueueStore } from "../../services/queue/adapters/redis/redis-queue-store.js";
import { cryptoRandom, queueService, type QueueServiceParts } from "../../services/queue/queue-service.js";
import { generateAdmissionSigningKey, type AdmissionSigningKey } from "../../services/shared/admission/admission-keys.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier, type AuthSettings } from "../../services/shared/auth/token-verifier.js";
import { InMemoryTicketHolds } from "../../services/shared/holds/in-memory-ticket-holds.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { startService, type StartedService } from "../../services/shared/server/start-service.js";
import { createTestDatabase, type TestDatabase } from "../support/real-services.js";
import { startRedisNodes, type RedisNodes } from "../support/redis-nodes-fixture.js";

const auth: AuthSettings = { mode: "dev", devSecret: "queue-test-secret-0123456789", issuer: "boxoffice-dev", audience: "boxoffice" };
export const ADMISSION_TTL_MS = 900_000;

/** One queue service process on the fixture's Redis, database and clock, reached over gRPC. */
export interface QueueInstance {
  queue: QueueServiceParts;
  service: StartedService;
  client: Client<typeof QueueService>;
  close(): Promise<void>;
}

export interface QueueFixture {
  database: TestDatabase;
  redis: RedisNodes;
  holds: InMemoryTicketHolds;
  signingKey: AdmissionSigningKey;
  /** The clock every instance reads; tests move it. */
  clock: { nowMs: number };
  instance: QueueInstance;
  /** Stops the running instance (as a crash or a deploy would) and starts a new one on the same Redis. */
  restart(): Promise<QueueInstance>;
  /** A high-demand event of its own, with tickets, its sale opening at `onSaleAtMs` (null: on sale). */
  newEvent(onSaleAtMs: number | null): Promise<{ eventId: string; ticketIds: string[] }>;
  as(userId: string, roles?: string[]): Promise<{ headers: Headers }>;
  /** Books these tickets in PostgreSQL, as a confirm would. */
  book(eventId: string, ticketIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export async function startQueueFixture(): Promise<QueueFixture> {
  const database = await createTestDatabase({ poolMax: 10 });
  await seedDemoData(database.db, { events: 8 });
  const redis = await startRedisNodes(1);
  const holds = new InMemoryTicketHolds();
  const { key: signingKey } = await generateAdmissionSigningKey("queue-test");
  const clock = { nowMs: Date.parse("2030-01-01T10:00:00Z") };
  const logger = createLogger("queue-test", "silent");
  const issue = createDevTokenIssuer(auth);
  const usedEvents = new Set<string>();

  async function startInstance(): Promise<QueueInstance> {
    const client = new Redis(redis.urls[0]!, { maxRetriesPerRequest: 1 });
    const queue = queueService({
      store: createRedisQueueStore(client),
      events: createPostgresEventFacts(database.db, holds),
      signingKey,
      verifyToken: createTokenVerifier(auth),
      settings: { admissionTtlMs: ADMISSION_TTL_MS, admitIntervalMs: 3_600_000, watchPollMs: 50 },
      logger,
      now: () => clock.nowMs,
      random: cryptoRandom,
    });
    const service = await startService(queue.definition, { host: "127.0.0.1", port: 0 }, logger);
    let closed: Promise<void> | undefined;
    return {
      queue,
      service,
      client: createClient(QueueService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.port}` })),
      close: () =>
        (closed ??= (async () => {
          queue.endStreams();
          await service.close(1_000);
          client.disconnect();
        })()),
    };
  }

  const fixture: QueueFixture = {
    database,
    redis,
    holds,
    signingKey,
    clock,
    instance: await startInstance(),
    async restart() {
      await fixture.instance.close();
      fixture.instance = await startInstance();
      return fixture.instance;
    },
    async newEvent(onSaleAtMs) {
      const row = await database.db("events").whereNotIn("id", [...usedEvents]).whereExists(database.db("tickets").whereRaw("tickets.event_id = events.id")).first("id");
      if (!row) throw new Error("the fixture ran out of seeded events");
      usedEvents.add(row.id);
      await database.db("events").where({ id: row.id }).update({ high_demand: true, on_sale_at: onSaleAtMs === null ? null : new Date(onSaleAtMs) });
      const tickets = await database.db("tickets").where({ event_id: row.id }).orderBy("id").pluck("id");
      return { eventId: row.id as string, ticketIds: tickets as string[] };
    },
    async as(userId, roles = ["buyer"]) {
      return { headers: new Headers({ authorization: `Bearer ${await issue(userId, roles)}` }) };
    },
    async book(eventId, ticketIds) {
      await database.db.transaction(async (trx) => {
        const [booking] = await trx("bookings").insert({ user_id: "buyer", event_id: eventId, total_minor: 0, currency: "GBP", idempotency_key: randomUUID() }).returning("id");
        await trx("tickets").whereIn("id", [...ticketIds]).update({ status: "booked", booking_id: booking.id });
      });
    },
    async close() {
      await fixture.instance.close();
      await redis.close();
      await database.drop();
    },
  };
  return fixture;
}
