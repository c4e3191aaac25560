import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BreakerGuardedHolds } from "../../services/shared/holds/breaker-guarded-holds.js";
import { createRedisQuorumHoldReader } from "../../services/shared/holds/redis-quorum-hold-reader.js";
import { RedisTicketHolds } from "../../services/shared/holds/redis-ticket-holds.js";
import type { HoldOutcome, HoldReader, TicketHolds } from "../../services/shared/holds/ticket-holds.js";
import { closeRedisClients, createRedisClients } from "../../services/shared/redis/redis-clients.js";
import { requireService } from "../support/real-services.js";
import { redisServerAvailable, startRedisNodes, type RedisNodes } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { startToxiproxy, toxiproxyAvailable, type Toxiproxy, type ToxicProxy } from "../support/toxiproxy.js";

const ready = requireService("redis-server", await redisServerAvailable()) && requireService("toxiproxy (bash scripts/toxiproxy/install.sh)", toxiproxyAvailable());

/** How long a caller waits for the lock nodes here (BOOKING_LOCK_TIMEOUT_MS). */
const CALLER_WAIT_MS = 200;
/** Slower than the caller waits, quicker than a node's own command timeout (1 s, redis-clients.ts): slow, not dead. */
const SLOW_MS = 600;
const HOLD_TTL_MS = 600_000;

describe.skipIf(!ready)("a slow lock node behind Toxiproxy is not a dead one", () => {
  let redis: RedisNodes;
  let toxiproxy: Toxiproxy;
  let proxies: ToxicProxy[];
  let viaProxies: Redis[];
  let direct: Redis[];
  /** Holds as the nodes themselves have them, not through the proxies. */
  let onNodes: HoldReader;

  beforeAll(async () => {
    redis = await startRedisNodes(3);
    toxiproxy = await startToxiproxy();
    proxies = await Promise.all(redis.urls.map((url, index) => toxiproxy.proxy(`lock-node-${index}`, { host: "127.0.0.1", port: Number(new URL(url).port) })));
    viaProxies = createRedisClients(proxies.map((proxy) => `redis://127.0.0.1:${proxy.port}`));
    direct = createRedisClients(redis.urls);
    onNodes = createRedisQuorumHoldReader(direct);
    await eventually(() => Promise.all([...viaProxies, ...direct].map((client) => client.ping())), 10_000, 50);
  }, 60_000);

  afterEach(async () => {
    await Promise.all(proxies.map((proxy) => proxy.reset()));
    // Clients whose proxy was disabled reconnect before the next test.
    await eventually(() => Promise.all(viaProxies.map((client) => client.ping())), 10_000, 100);
  });

  afterAll(async () => {
    await closeRedisClients([...(viaProxies ?? []), ...(direct ?? [])]);
    await toxiproxy?.close();
    await redis?.close();
  });

  /** The lock store as booking wires it, with what the Redlock layer answered (even after the caller stopped waiting). */
  function lockStore() {
    const answered: HoldOutcome[] = [];
    const redlock = new RedisTicketHolds(viaProxies);
    const recorded: TicketHolds = Object.assign(Object.create(redlock) as TicketHolds, {
      hold: async (request: Parameters<TicketHolds["hold"]>[0]) => {
        const outcome = await redlock.hold(request);
        answered.push(outcome);
        return outcome;
      },
    });
    return { holds: new BreakerGuardedHolds(recorded, { timeoutMs: CALLER_WAIT_MS, resetTimeoutMs: 60_000 }), answered };
  }

  const request = (ticketId: string) => ({
    eventId: "slow-event",
    ticketIds: [ticketId],
    ttlMs: HOLD_TTL_MS,
    userId: "alice",
    record: { key: `reservation:${ticketId}`, value: ({ token }: { token: string }) => token },
  });

  it("two slow nodes of three: callers degrade after their wait, the breaker stays closed, and every hold granted late is released", async () => {
    const { holds, answered } = lockStore();
    await proxies[1]!.slow(SLOW_MS);
    await proxies[2]!.slow(SLOW_MS);
    const tickets = Array.from({ length: 5 }, () => randomUUID());
    for (const ticketId of tickets) {
      // A quorum needs a slow node, so no caller can be answered within its wait.
      expect((await holds.hold(request(ticketId))).kind).toBe("unavailable");
    }
    // The nodes did grant every one of them, after the callers had gone: slow, not down.
    await eventually(async () => expect(answered.map((outcome) => outcome.kind)).toEqual(tickets.map(() => "held")), 10_000, 50);
    expect(holds.isOpen).toBe(false);
    // No reservation names those holds: none is left on the nodes, nor its record, for the TTL.
    await eventually(async () => {
      expect((await onNodes.holders(tickets)).size).toBe(0);
      for (const node of direct) expect(await node.exists(...tickets.map((ticketId) => `reservation:${ticketId}`))).toBe(0);
    }, 10_000, 100);

    // Once the nodes are quick again the same store holds at once: nothing was written off.
    await Promise.all(proxies.map((proxy) => proxy.reset()));
    expect((await holds.hold(request(randomUUID()))).kind).toBe("held");
  });

  it("two dead nodes of three, as many calls: the breaker opens and callers are answered without waiting on the nodes", async () => {
    const { holds } = lockStore();
    await proxies[1]!.disable();
    await proxies[2]!.disable();
    for (let call = 0; call < 5; call += 1) expect((await holds.hold(request(randomUUID()))).kind).toBe("unavailable");
    expect(holds.isOpen).toBe(true);
  });
});
