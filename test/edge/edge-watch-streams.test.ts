import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { CatalogService, WatchEventTicketsResponseSchema, type WatchEventTicketsResponse } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { eventually } from "../support/spawned-service.js";
import { withBearer } from "./connect-test-clients.js";
import { devToken, startEdgeWithFakes, type EdgeUnderTest } from "./fake-upstream-edge.js";

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

async function edgeWith(fake: ReturnType<typeof fakeCatalog>, streamCaps = { perIp: 1_000, perUser: 1_000 }) {
  const edge = await startEdgeWithFakes({ catalog: fake.catalog as never }, { streamCaps });
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
