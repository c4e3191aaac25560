import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCachedSearchBackend } from "../../services/search/adapters/cache/cached-search-backend.js";
import type { SearchBackend } from "../../services/search/domain/event-search.js";
import { normalizeSearch } from "../../services/search/domain/search-query.js";
import { RedisCache } from "../../services/shared/cache/redis-cache.js";
import { closeRedisClients, createRedisClients } from "../../services/shared/redis/redis-clients.js";
import { redisAvailable, redisLockUrls, requireService } from "../support/real-services.js";

const [redisUrl] = redisLockUrls();
const ready = requireService("Redis", await redisAvailable([redisUrl!]));

describe.skipIf(!ready)("the hot-query cache on Redis", () => {
  let clients: Redis[];
  const prefix = `test-search-cache-${randomBytes(4).toString("hex")}:`;
  const settings = { ttlMs: 30_000, degradedTtlMs: 5_000 };
  const query = normalizeSearch({ term: "taylor", includePast: false }, new Date());

  let calls = 0;
  const backend: SearchBackend = {
    async search() {
      calls++;
      return { backend: "opensearch", degraded: false, hits: [] };
    },
  };

  beforeAll(async () => {
    clients = createRedisClients([redisUrl!, redisUrl!]);
    // These clients fail fast instead of queueing: wait until they are connected.
    await Promise.all(clients.map((client) => (client.status === "ready" ? undefined : new Promise((resolve) => client.once("ready", resolve)))));
  });

  afterAll(async () => {
    const keys = await clients[0]!.keys(`${prefix}*`);
    if (keys.length > 0) await clients[0]!.del(...keys);
    await closeRedisClients(clients);
  });

  it("answers a query one replica asked from another replica, with the short TTL set on Redis", async () => {
    const replicaA = createCachedSearchBackend(backend, new RedisCache(clients[0]!, prefix), settings);
    const replicaB = createCachedSearchBackend(backend, new RedisCache(clients[1]!, prefix), settings);
    await replicaA.search(query);
    await replicaB.search(query);
    expect(calls).toBe(1);
    const [key] = await clients[0]!.keys(`${prefix}search:v2:*`);
    const ttl = await clients[0]!.pttl(key!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it("answers from the backend when Redis cannot be reached", async () => {
    const [unreachable] = createRedisClients(["redis://127.0.0.1:1"]);
    try {
      const search = createCachedSearchBackend(backend, new RedisCache(unreachable!, prefix), settings);
      const before = calls;
      expect((await search.search(query)).backend).toBe("opensearch");
      expect(calls).toBe(before + 1);
    } finally {
      unreachable!.disconnect();
    }
  });
});
