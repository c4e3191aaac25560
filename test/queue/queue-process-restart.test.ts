import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaceStatus, QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { generateAdmissionSigningKey } from "../../services/shared/admission/admission-keys.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { createTestDatabase, postgresAvailable, redisAvailable, redisLockUrls, requireService, type TestDatabase } from "../support/real-services.js";
import { redisServerAvailable, startRedisNodes, type RedisNodes } from "../support/redis-nodes-fixture.js";
import { freePort, spawnEntryPoint, untilServing, type SpawnedService } from "../support/spawned-service.js";

const ready =
  requireService("PostgreSQL", await postgresAvailable()) &&
  requireService("Redis lock nodes", await redisAvailable()) &&
  requireService("redis-server", await redisServerAvailable());

const DEV_SECRET = "queue-process-secret-0123456789";

describe.skipIf(!ready)("the queue service as its own process (services/queue/main.ts)", () => {
  let database: TestDatabase;
  let redis: RedisNodes;
  let queue: SpawnedService | undefined;
  let env: Record<string, string>;
  let port: number;
  let adminPort: number;
  let eventId: string;
  const issue = createDevTokenIssuer({ mode: "dev", devSecret: DEV_SECRET, issuer: "boxoffice-dev", audience: "boxoffice" });
  const as = async (userId: string, roles = ["buyer"]) => ({ headers: new Headers({ authorization: `Bearer ${await issue(userId, roles)}` }) });
  const client = () => createClient(QueueService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));

  async function start() {
    queue = spawnEntryPoint("services/queue/main.ts", env);
    try {
      await untilServing([`127.0.0.1:${port}`]);
    } catch (error) {
      throw new Error(`the queue did not start: ${error}\n${queue.output().slice(-2_000)}`);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoData(database.db, { events: 3 });
    const [event] = await database.db("events").select("id").limit(1);
    eventId = event.id;
    await database.db("events").where({ id: eventId }).update({ high_demand: true, on_sale_at: null });
    redis = await startRedisNodes(1);
    [port, adminPort] = [await freePort(), await freePort()];
    const { privateJwk } = await generateAdmissionSigningKey("process-test");
    env = {
      DATABASE_URL: database.url,
      REDIS_LOCK_URLS: redisLockUrls().join(","),
      QUEUE_REDIS_URL: redis.urls[0]!,
      QUEUE_SIGNING_JWK: JSON.stringify(privateJwk),
      QUEUE_PORT: String(port),
      QUEUE_ADMIN_PORT: String(adminPort),
      AUTH_DEV_SECRET: DEV_SECRET,
    };
    await start();
  }, 180_000);

  afterAll(async () => {
    await queue?.stop();
    await redis?.close();
    await database?.drop();
  });

  it("publishes the admission keys' public half, and only that, as a JWKS on its admin port", async () => {
    const jwks = (await (await fetch(`http://127.0.0.1:${adminPort}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: "process-test", kty: "EC", crv: "P-256", alg: "ES256" })]);
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });

  it("keeps every place across a restart of the process", async () => {
    await client().openQueue({ eventId, admissionRatePerMinute: 60 }, await as("ops", ["admin"]));
    const users = ["p1", "p2", "p3", "p4"];
    // Paused, the worker moves nobody while the process restarts: every place must come back as it was.
    await client().pauseQueue({ eventId }, await as("ops", ["admin"]));
    for (const user of users) await client().joinQueue({ eventId }, await as(user));
    const before = await Promise.all(users.map(async (user) => (await client().getQueuePosition({ eventId }, await as(user))).place!));

    expect(await queue!.stop()).toBe(0);
    await start();

    const after = await Promise.all(users.map(async (user) => (await client().getQueuePosition({ eventId }, await as(user))).place!));
    expect(after.map((place) => [place.status, place.position])).toEqual(before.map((place) => [place.status, place.position]));
    expect(after.map((place) => place.status)).toEqual(users.map(() => PlaceStatus.WAITING));
    expect(after.map((place) => Number(place.position)).sort()).toEqual([1, 2, 3, 4]);
    const rejoined = await client().joinQueue({ eventId }, await as("p3"));
    expect([rejoined.place!.status, rejoined.place!.position]).toEqual([after[2]!.status, after[2]!.position]);
  });
});
