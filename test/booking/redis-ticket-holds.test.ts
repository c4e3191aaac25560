import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holderOf } from "../../services/shared/holds/holder-token.js";
import { RedisTicketHolds } from "../../services/shared/holds/redis-ticket-holds.js";
import { eventHoldsKey, holdKey, type HoldOutcome } from "../../services/shared/holds/ticket-holds.js";
import { closeRedisClients, createRedisClients } from "../../services/shared/redis/redis-clients.js";
import { requireService } from "../support/real-services.js";
import { eventually } from "../support/spawned-service.js";
import { redisServerAvailable, startRedisNodes, type RedisNodes } from "../support/redis-nodes-fixture.js";

// The Redlock algorithm on our own per-node scripts, against three real redis-server processes
// this suite owns (so it can stop one): what a hold writes, what a refusal says, and the quorum.
const ready = requireService("redis-server (suite-owned lock nodes)", await redisServerAvailable());

describe.skipIf(!ready)("holds on three independent Redis masters", () => {
  let nodes: RedisNodes;
  let clients: Redis[];
  let holds: RedisTicketHolds;

  beforeAll(async () => {
    nodes = await startRedisNodes(3);
    clients = createRedisClients(nodes.urls);
    // The clients fail fast instead of queueing while they connect: start once all three are up.
    await eventually(async () => {
      if (clients.some((client) => client.status !== "ready")) throw new Error("lock node clients still connecting");
    }, 10_000, 20);
    holds = new RedisTicketHolds(clients);
  });

  afterAll(async () => {
    await closeRedisClients(clients ?? []);
    await nodes?.close();
  });

  const ids = (count: number) => Array.from({ length: count }, () => randomUUID());
  const reservationRecord = (id: string) => ({ key: `reservation:${id}`, value: ({ token, expiresAt }: { token: string; expiresAt: Date }) => JSON.stringify({ id, token, expiresAt }) });
  // INFO commandstats counts commands run inside scripts too, which is why SET shows there.
  const commandCounts = async (client: Redis) => {
    const counts = new Map<string, number>();
    for (const match of (await client.info("commandstats")).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) counts.set(match[1]!, Number(match[2]));
    return counts;
  };
  const delta = (before: Map<string, number>, after: Map<string, number>) => {
    const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    return { eval: moved("eval"), evalsha: moved("evalsha"), set: moved("set") };
  };
  const held = (outcome: HoldOutcome) => {
    if (outcome.kind !== "held") throw new Error(`expected a hold, got ${JSON.stringify(outcome)}`);
    return outcome;
  };

  it("a hold is one script call per node that sets every ticket, indexes it under the event and stores the record", async () => {
    // Each node's own command counters are the claim here: what the client sent (one script
    // call per node) and what the script ran there (every SET). The nodes are this suite's own,
    // so nothing else moves the counters. The hold answers at a majority, so wait until the third
    // node has counted its call too, then read the counters once more after a pause for strays.
    const before = await Promise.all(clients.map(commandCounts));
    const [eventId, reservationId] = [randomUUID(), randomUUID()];
    const tickets = ids(3);
    const outcome = held(await holds.hold({ eventId, ticketIds: tickets, ttlMs: 60_000, userId: "alice", record: reservationRecord(reservationId) }));
    const sentOnEveryNode = async () => {
      const after = await Promise.all(clients.map(commandCounts));
      const calls = after.map((counts, node) => delta(before[node]!, counts));
      if (calls.some((call) => call.eval + call.evalsha < 1)) throw new Error(`script calls per node so far: ${JSON.stringify(calls)}`);
      return calls;
    };
    await eventually(sentOnEveryNode, 10_000, 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const call of await sentOnEveryNode()) {
      // EVAL the first time on a connection, EVALSHA after: either way one call per node.
      expect(call.eval + call.evalsha).toBe(1);
      // Three ticket keys and the record.
      expect(call.set).toBe(4);
    }

    for (const client of clients) {
      expect(await client.mget(...tickets.map(holdKey))).toEqual([outcome.token, outcome.token, outcome.token]);
      expect(Object.keys(await client.hgetall(eventHoldsKey(eventId))).sort()).toEqual([...tickets].sort());
      expect(await client.pttl(`reservation:${reservationId}`)).toBeGreaterThan(59_000);
    }
    expect(JSON.parse((await holds.readRecord(`reservation:${reservationId}`))!)).toMatchObject({ id: reservationId, token: outcome.token });
    expect(holderOf(outcome.token)).toBe("alice");
    // Redlock's validity: the TTL less the clock drift allowance.
    expect(outcome.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000 - 600);
  });

  it("a refusal names the holder of each taken ticket and leaves nothing of the refused request behind", async () => {
    const eventId = randomUUID();
    const [free, taken] = ids(2) as [string, string];
    const bob = held(await holds.hold({ eventId, ticketIds: [taken], ttlMs: 60_000, userId: "bob" }));
    const reservationId = randomUUID();
    const outcome = await holds.hold({ eventId, ticketIds: [free, taken], ttlMs: 60_000, userId: "alice", record: reservationRecord(reservationId) });
    expect(outcome).toEqual({ kind: "taken", ticketIds: [taken], holders: new Map([[taken, bob.token]]) });
    for (const client of clients) {
      expect(await client.exists(holdKey(free), `reservation:${reservationId}`)).toBe(0);
    }
  });

  it("the event's index gives every live hold of the event, agreed by a majority", async () => {
    const eventId = randomUUID();
    const [a, b, c] = ids(3) as [string, string, string];
    const alice = held(await holds.hold({ eventId, ticketIds: [a, b], ttlMs: 60_000, userId: "alice" }));
    const bob = held(await holds.hold({ eventId, ticketIds: [c], ttlMs: 60_000, userId: "bob" }));
    // A minority entry (one node only) is no hold.
    await clients[0]!.hset(eventHoldsKey(eventId), randomUUID(), `${Date.now() + 60_000} carol.x`);
    const index = await holds.eventHolds(eventId);
    expect(new Map([...index].map(([id, hold]) => [id, hold.token]))).toEqual(
      new Map([
        [a, alice.token],
        [b, alice.token],
        [c, bob.token],
      ]),
    );
  });

  it("a release deletes only the holder's tickets, their index entries and the record", async () => {
    const eventId = randomUUID();
    const tickets = ids(2);
    const reservationId = randomUUID();
    const alice = held(await holds.hold({ eventId, ticketIds: tickets, ttlMs: 60_000, userId: "alice", record: reservationRecord(reservationId) }));
    await holds.release({ eventId, ticketIds: tickets, token: "someone-else", recordKey: `reservation:${randomUUID()}` });
    expect((await holds.eventHolds(eventId)).size).toBe(2);
    await holds.release({ eventId, ticketIds: tickets, token: alice.token, recordKey: `reservation:${reservationId}` });
    expect((await holds.eventHolds(eventId)).size).toBe(0);
    expect(await holds.holders(tickets)).toEqual(new Map());
    expect(await holds.readRecord(`reservation:${reservationId}`)).toBeUndefined();
  });

  it("a claim extends the buyer's own hold and its record, takes a free seat under the buyer's token, and touches nothing when another buyer holds one", async () => {
    const eventId = randomUUID();
    const [own, free, bobs] = ids(3) as [string, string, string];
    const reservationId = randomUUID();
    const alice = held(await holds.hold({ eventId, ticketIds: [own], ttlMs: 2_000, userId: "alice", record: reservationRecord(reservationId) }));
    const bob = held(await holds.hold({ eventId, ticketIds: [bobs], ttlMs: 60_000, userId: "bob" }));
    const claim = { eventId, userId: "alice", token: alice.token, ttlMs: 30_000, recordKey: `reservation:${reservationId}` };

    const refused = await holds.claim({ ...claim, ticketIds: [own, free, bobs] });
    expect(refused).toEqual({ kind: "taken", ticketIds: [bobs], holders: new Map([[bobs, bob.token]]) });
    for (const node of clients) {
      expect(await node.exists(holdKey(free))).toBe(0);
      expect(await node.pttl(holdKey(own))).toBeLessThanOrEqual(2_000);
    }

    expect(await holds.claim({ ...claim, ticketIds: [own, free] })).toEqual({ kind: "claimed" });
    expect(await holds.holders([own, free])).toEqual(new Map([[own, alice.token], [free, alice.token]]));
    for (const node of clients) {
      for (const key of [holdKey(own), holdKey(free), `reservation:${reservationId}`]) expect(await node.pttl(key)).toBeGreaterThan(2_000);
    }
    const index = await holds.eventHolds(eventId);
    expect(index.get(own)!.expiresAtMs).toBe(index.get(free)!.expiresAtMs);
    expect(index.get(own)!.expiresAtMs).toBeGreaterThan(alice.expiresAt.getTime());
  });

  it("a claim never shortens a hold that lasts longer than it asks", async () => {
    const [eventId, seat] = [randomUUID(), randomUUID()];
    const alice = held(await holds.hold({ eventId, ticketIds: [seat], ttlMs: 60_000, userId: "alice" }));
    expect(await holds.claim({ eventId, ticketIds: [seat], userId: "alice", token: alice.token, ttlMs: 1_000 })).toEqual({ kind: "claimed" });
    for (const node of clients) expect(await node.pttl(holdKey(seat))).toBeGreaterThan(1_000);
  });

  it("expired holds leave the index by their expiry, whatever the hash's own TTL", async () => {
    const eventId = randomUUID();
    const [short, long] = ids(2) as [string, string];
    await holds.hold({ eventId, ticketIds: [short], ttlMs: 300, userId: "alice" });
    await holds.hold({ eventId, ticketIds: [long], ttlMs: 60_000, userId: "bob" });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect([...(await holds.eventHolds(eventId)).keys()]).toEqual([long]);
  });

  it("holds with one node down still stand on the other two, and race to exactly one winner", async () => {
    await nodes.stop(2);
    try {
      const eventId = randomUUID();
      const [seat] = ids(1) as [string];
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, index) => holds.hold({ eventId, ticketIds: [seat], ttlMs: 60_000, userId: `buyer-${index}` })));
      expect(outcomes.filter((outcome) => outcome.kind === "held")).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.kind === "taken").length).toBeGreaterThan(0);
      expect((await holds.eventHolds(eventId)).size).toBe(1);
    } finally {
      await nodes.start(2);
    }
  });

  it("with two of three nodes down nobody can hold, and the answer says so instead of 'taken'", async () => {
    await nodes.stop(1);
    await nodes.stop(2);
    try {
      const outcome = await holds.hold({ eventId: randomUUID(), ticketIds: ids(1), ttlMs: 60_000, userId: "alice" });
      expect(outcome.kind).toBe("unavailable");
      await expect(holds.eventHolds(randomUUID())).rejects.toThrow(/lock nodes answered/);
    } finally {
      await nodes.start(1);
      await nodes.start(2);
    }
  });
});
