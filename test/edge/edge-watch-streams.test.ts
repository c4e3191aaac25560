import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { CatalogService, WatchEventTicketsResponseSchema, type WatchEventTicketsResponse } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { eventually } from "../support/spawned-service.js";
import { withBearer } from "./connect-test-clients.js";
import { devToken, startEdgeWithFakes, type EdgeUnderTest } from "./fake-upstream-edge.js";
import { messageOf, rawWatch } from "./raw-watch-client.js";

const EVENT = "00000000-0000-4000-8000-000000000001";
const edges: EdgeUnderTest[] = [];

afterEach(async () => {
  await Promise.all(edges.splice(0).map((edge) => edge.close()));
});

/** A catalog whose WatchEventTickets streams send a snapshot, then whatever the test pushes. */
function fakeCatalog(tickets: string[]) {
  const streams = new Set<(message: WatchEventTicketsResponse) => void>();
  let open = 0;
  return {
    open: () => open,
    push(ticketId: string, status: TicketStatus) {
      for (const send of streams) send(create(WatchEventTicketsResponseSchema, { changes: [{ ticketId, status }] }));
    },
    catalog: {
      async *watchEventTickets(_request: unknown, context: { signal: AbortSignal }) {
        const queue: WatchEventTicketsResponse[] = [create(WatchEventTicketsResponseSchema, { snapshot: true, changes: tickets.map((ticketId) => ({ ticketId, status: TicketStatus.AVAILABLE })) })];
        let wake: (() => void) | undefined;
        const send = (message: WatchEventTicketsResponse) => {
          queue.push(message);
          wake?.();
        };
        streams.add(send);
        open += 1;
        try {
          while (!context.signal.aborted) {
            while (queue.length > 0) yield queue.shift()!;
            await new Promise<void>((resolve) => {
              wake = resolve;
              context.signal.addEventListener("abort", () => resolve(), { once: true });
            });
          }
        } finally {
          streams.delete(send);
          open -= 1;
        }
      },
    },
  };
}

/** A browser's watch: the state it has built so far. */
function browser(client: Client<typeof CatalogService>) {
  const controller = new AbortController();
  const state = new Map<string, TicketStatus>();
  let opened!: () => void;
  let failed!: (error: unknown) => void;
  const first = new Promise<void>((resolve, reject) => ((opened = resolve), (failed = reject)));
  const done = (async () => {
    for await (const message of client.watchEventTickets({ eventId: EVENT }, { signal: controller.signal })) {
      if (message.snapshot) state.clear();
      for (const { ticketId, status } of message.changes) state.set(ticketId, status);
      opened();
    }
  })().catch(failed);
  return {
    state,
    opened: first,
    async close() {
      controller.abort();
      await done;
    },
  };
}

async function edgeWith(fake: ReturnType<typeof fakeCatalog>, streamCaps = { perIp: 1_000, perUser: 1_000 }, streamStallMs?: number) {
  const edge = await startEdgeWithFakes({ catalog: fake.catalog as never }, { streamCaps, streamStallMs });
  edges.push(edge);
  return edge;
}

describe("live seat maps through the edge", () => {
  it("serves many browsers from one stream to the catalog, and every change reaches each of them", async () => {
    const fake = fakeCatalog(["t1", "t2", "t3"]);
    const edge = await edgeWith(fake);
    const connect = createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1", useBinaryFormat: true }));
    const json = createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1" }));
    const grpcWeb = createClient(CatalogService, createGrpcWebTransport({ baseUrl: edge.base, httpVersion: "1.1" }));
    const browsers = [...Array.from({ length: 20 }, () => browser(connect)), browser(json), browser(grpcWeb)];
    await Promise.all(browsers.map((b) => b.opened));
    expect(edge.callsTo("WatchEventTickets")).toHaveLength(1);

    fake.push("t2", TicketStatus.RESERVED);
    await eventually(async () => {
      for (const b of browsers) expect(b.state.get("t2")).toBe(TicketStatus.RESERVED);
    });
    // A browser that joins now starts from the state the edge was told: no second upstream call.
    const late = browser(connect);
    await late.opened;
    expect([...late.state]).toEqual([["t1", TicketStatus.AVAILABLE], ["t2", TicketStatus.RESERVED], ["t3", TicketStatus.AVAILABLE]]);
    expect(edge.callsTo("WatchEventTickets")).toHaveLength(1);

    await Promise.all([...browsers, late].map((b) => b.close()));
    // The last browser gone, the stream to the catalog ends too.
    await eventually(async () => expect(fake.open()).toBe(0));
  });

  it("refuses the stream past an address's cap with RESOURCE_EXHAUSTED that says what to do, and takes one again once a stream closes", async () => {
    const fake = fakeCatalog(["t1"]);
    const edge = await edgeWith(fake, { perIp: 2, perUser: 100 });
    const client = createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1", useBinaryFormat: true }));
    const first = browser(client);
    const second = browser(client);
    await Promise.all([first.opened, second.opened]);
    const third = browser(client);
    const refused = await third.opened.then(() => undefined, (error: unknown) => ConnectError.from(error));
    expect(refused?.code).toBe(Code.ResourceExhausted);
    expect(refused?.rawMessage).toMatch(/at most 2 at once; close a live seat map/);

    await first.close();
    await eventually(async () => {
      const again = browser(client);
      try {
        await again.opened;
      } finally {
        await again.close();
      }
    });
    await second.close();
  });

  it("caps a signed-in user's streams whatever the address", async () => {
    const fake = fakeCatalog(["t1"]);
    const edge = await edgeWith(fake, { perIp: 100, perUser: 1 });
    const as = async (userId: string) =>
      createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1", interceptors: [withBearer(await devToken(userId))] }));
    const alice = await as("alice");
    const open = browser(alice);
    await open.opened;
    const refused = await browser(alice).opened.then(() => undefined, (error: unknown) => ConnectError.from(error));
    expect(refused?.code).toBe(Code.ResourceExhausted);
    expect(refused?.rawMessage).toMatch(/from this user: at most 1/);
    // Another user, and anonymous browsers, still get theirs.
    const bob = browser(await as("bob"));
    await bob.opened;
    await Promise.all([open.close(), bob.close()]);
  });
});

/**
 * Tickets whose snapshot is ~8 MB: more than the socket buffers between the edge and a browser
 * hold (4 MB at most for sending here), so a browser that does not read stops the edge's writes
 * from draining.
 */
const bigEvent = () => Array.from({ length: 8_000 }, (_, i) => `${String(i).padStart(8, "0")}-${"x".repeat(1_000)}`);

describe("binary live seat maps: one frame for every browser, backpressure per browser", () => {
  it("sends every binary browser, Connect or gRPC-Web, the same bytes: one snapshot frame, then one frame per change", async () => {
    const fake = fakeCatalog(["t1", "t2", "t3"]);
    const edge = await edgeWith(fake);
    const browsers = [...Array.from({ length: 8 }, () => rawWatch(edge.base, EVENT, "connect")), ...Array.from({ length: 4 }, () => rawWatch(edge.base, EVENT, "grpc-web"))];
    const snapshots = await Promise.all(browsers.map(async (browser) => (await browser.frameCount(1))[0]!));
    expect(new Set(snapshots.map((frame) => frame.bytes.toString("hex"))).size).toBe(1);
    expect(messageOf(snapshots[0]!)).toMatchObject({ snapshot: true, changes: [{ ticketId: "t1" }, { ticketId: "t2" }, { ticketId: "t3" }] });

    fake.push("t2", TicketStatus.RESERVED);
    const changes = await Promise.all(browsers.map(async (browser) => (await browser.frameCount(2))[1]!));
    expect(new Set(changes.map((frame) => frame.bytes.toString("hex"))).size).toBe(1);
    expect(messageOf(changes[0]!).changes).toMatchObject([{ ticketId: "t2", status: TicketStatus.RESERVED }]);
    for (const browser of browsers) browser.close();
    await eventually(async () => expect(fake.open()).toBe(0));
  });

  it("paces a browser that stops reading: the others get every change, and it gets one fresh snapshot when it reads again, never the backlog", async () => {
    const tickets = bigEvent();
    const fake = fakeCatalog(tickets);
    const edge = await edgeWith(fake);
    const reader = browser(createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1", useBinaryFormat: true })));
    const stalled = rawWatch(edge.base, EVENT, "connect", { paused: true });
    await Promise.all([reader.opened, stalled.opened]);

    // More changes than a browser may fall behind (64 messages), one message each.
    for (let i = 0; i < 100; i++) {
      fake.push(tickets[i]!, TicketStatus.RESERVED);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await eventually(async () => {
      for (let i = 0; i < 100; i++) expect(reader.state.get(tickets[i]!)).toBe(TicketStatus.RESERVED);
    });

    await stalled.resume();
    const [first, second] = await stalled.frameCount(2);
    expect(messageOf(first!).snapshot).toBe(true);
    // Not 100 changes to replay: the state now, as one snapshot.
    const caughtUp = messageOf(second!);
    expect(caughtUp.snapshot).toBe(true);
    expect(caughtUp.changes.filter(({ status }) => status === TicketStatus.RESERVED)).toHaveLength(100);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(stalled.frames).toHaveLength(2);
    stalled.close();
    await reader.close();
  });

  it("drops a browser whose write has not drained within the stall time, and frees its place under the caps", async () => {
    const fake = fakeCatalog(bigEvent());
    const edge = await edgeWith(fake, { perIp: 1, perUser: 100 }, 500);
    const stalled = rawWatch(edge.base, EVENT, "connect", { paused: true });
    await stalled.opened;
    // The edge closes the connection (the browser, not reading, learns it when it reads again, and reconnects).
    await eventually(async () => {
      const dropped = await edge.edge.metrics.getSingleMetric("boxoffice_edge_live_streams_dropped_total")!.get();
      expect(dropped.values[0]?.value).toBe(1);
    });
    // Its place under the address's cap (1) is free again: the next stream starts with the
    // snapshot's frame (8 MB, not read whole here), not the end frame a refusal would be.
    const next = rawWatch(edge.base, EVENT, "connect");
    const first = await next.firstFrameHeader();
    expect(first.flags).toBe(0);
    expect(first.length).toBeGreaterThan(8_000_000);
    next.close();
    stalled.close();
    await eventually(async () => expect(fake.open()).toBe(0));
  });
});
