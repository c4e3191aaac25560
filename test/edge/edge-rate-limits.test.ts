import { randomBytes } from "node:crypto";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { createRedisClients } from "../../services/shared/redis/redis-clients.js";
import { redisAvailable, requireService } from "../support/real-services.js";
import { codeOf } from "./connect-test-clients.js";
import { devToken, startEdgeWithFakes, type EdgeUnderTest } from "./fake-upstream-edge.js";

const edges: EdgeUnderTest[] = [];
const redisClients: Redis[] = [];

afterEach(async () => {
  await Promise.all(edges.splice(0).map((edge) => edge.close()));
  for (const client of redisClients.splice(0)) client.disconnect();
});

const fakes = { search: { searchEvents: () => ({ events: [], backend: "fake" }) }, booking: { listMyBookings: () => ({ bookings: [] }) } };

async function edgeWith(limits: { perIp: number; perUser: number; redis?: Redis; keyPrefix?: string }) {
  const edge = await startEdgeWithFakes(fakes, { rateLimits: { windowMs: 60_000, ...limits } });
  edges.push(edge);
  return edge;
}

const search = (edge: EdgeUnderTest) => fetch(`${edge.base}/events/search?term=jazz`);
const bookingsOf = (edge: EdgeUnderTest, token: string) => fetch(`${edge.base}/bookings`, { headers: { authorization: `Bearer ${token}` } });

describe("rate limits at the edge (in process)", () => {
  it("answers the request after an address's limit with 429, Retry-After and a body naming the wait", async () => {
    const edge = await edgeWith({ perIp: 3, perUser: 100 });
    for (let i = 0; i < 3; i++) expect((await search(edge)).status).toBe(200);
    const refused = await search(edge);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: { code: "ResourceExhausted", details: { retryAfterSeconds: retryAfter } } });
    expect(edge.callsTo("SearchEvents")).toHaveLength(3);
  });

  it("refuses Connect and gRPC-Web callers over the limit with RESOURCE_EXHAUSTED", async () => {
    const edge = await edgeWith({ perIp: 2, perUser: 100 });
    const connect = createClient(SearchService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1" }));
    const grpcWeb = createClient(SearchService, createGrpcWebTransport({ baseUrl: edge.base, httpVersion: "1.1" }));
    expect(await codeOf(connect.searchEvents({ term: "jazz" }))).toBe("ok");
    expect(await codeOf(grpcWeb.searchEvents({ term: "jazz" }))).toBe("ok");
    expect(await codeOf(connect.searchEvents({ term: "jazz" }))).toBe(Code.ResourceExhausted);
    expect(await codeOf(grpcWeb.searchEvents({ term: "jazz" }))).toBe(Code.ResourceExhausted);
    expect(edge.callsTo("SearchEvents")).toHaveLength(2);
  });

  it("limits each signed-in user on their own: one user over the limit does not stop another", async () => {
    const edge = await edgeWith({ perIp: 100, perUser: 2 });
    const alice = await devToken("alice");
    const bob = await devToken("bob");
    expect((await bookingsOf(edge, alice)).status).toBe(200);
    expect((await bookingsOf(edge, alice)).status).toBe(200);
    expect((await bookingsOf(edge, alice)).status).toBe(429);
    expect((await bookingsOf(edge, bob)).status).toBe(200);
  });

  it("does not count health probes", async () => {
    const edge = await edgeWith({ perIp: 1, perUser: 100 });
    expect((await search(edge)).status).toBe(200);
    expect((await search(edge)).status).toBe(429);
    expect((await fetch(`${edge.base}/healthz`)).status).toBe(200);
  });
});

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redisUp = requireService(`Redis (${redisUrl})`, await redisAvailable([redisUrl]));

describe.skipIf(!redisUp)("rate limits shared through Redis", () => {
  const redisClient = () => {
    const [client] = createRedisClients([redisUrl]) as [Redis];
    redisClients.push(client);
    return client;
  };

  it("two edge replicas count one address together", async () => {
    const keyPrefix = `boxoffice-test-rate-${randomBytes(6).toString("hex")}-`;
    const first = await edgeWith({ perIp: 3, perUser: 100, redis: redisClient(), keyPrefix });
    const second = await edgeWith({ perIp: 3, perUser: 100, redis: redisClient(), keyPrefix });
    expect((await search(first)).status).toBe(200);
    expect((await search(second)).status).toBe(200);
    expect((await search(first)).status).toBe(200);
    expect((await search(second)).status).toBe(429);
  });

  it("lets requests through uncounted while Redis is unreachable", async () => {
    // Nothing listens on port 1: every counter update fails at once.
    const [unreachable] = createRedisClients(["redis://127.0.0.1:1"]) as [Redis];
    redisClients.push(unreachable);
    const edge = await edgeWith({ perIp: 1, perUser: 1, redis: unreachable });
    for (let i = 0; i < 3; i++) expect((await search(edge)).status).toBe(200);
  });
});
