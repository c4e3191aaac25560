import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeRedisClients, createRedisClients } from "../../services/shared/redis/redis-clients.js";
import { redisNodesProbe } from "../../services/shared/redis/redis-probe.js";
import { requireService } from "../support/real-services.js";
import { redisServerAvailable, startRedisNodes, type RedisNodes } from "../support/redis-nodes-fixture.js";

const enabled = requireService("redis-server (suite-owned lock nodes)", await redisServerAvailable());

describe.skipIf(!enabled)("the lock-quorum probe", () => {
  let nodes: RedisNodes;

  beforeAll(async () => {
    nodes = await startRedisNodes(3);
  });

  afterAll(async () => {
    await nodes?.close();
  });

  it("finds three running nodes up on its very first check, while the clients are still connecting", async () => {
    const clients = createRedisClients(nodes.urls);
    try {
      // The check a service runs at start-up, right after creating its clients.
      await expect(redisNodesProbe(clients, false).check()).resolves.toBeUndefined();
    } finally {
      await closeRedisClients(clients);
    }
  });

  it("reports the quorum lost when two of three nodes are stopped", async () => {
    await nodes.stop(1);
    await nodes.stop(2);
    const clients = createRedisClients(nodes.urls);
    try {
      await expect(redisNodesProbe(clients, false).check()).rejects.toThrow("1 of 3 lock nodes answer, quorum is 2");
    } finally {
      await closeRedisClients(clients);
      await nodes.start(1);
      await nodes.start(2);
    }
  });
});
