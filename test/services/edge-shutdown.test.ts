import { Agent } from "node:http";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { CatalogService, GetEventResponseSchema, WatchEventTicketsResponseSchema } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { startEdgeWithFakes, type EdgeUnderTest } from "../edge/fake-upstream-edge.js";

const EVENT_ID = "00000000-0000-4000-8000-000000000001";
// Longer than the test's own timeout: a close that waited for its deadline would fail the test.
const LONG_GRACE_MS = 10 * 60_000;
let edge: EdgeUnderTest | undefined;

afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

/**
 * A browser-like Connect client over HTTP/1.1 whose connection stays open when idle (Node's
 * default agent drops idle sockets after 5 s, which would hide a server that never closes them).
 */
const watchingClient = (base: string, useBinaryFormat = false) =>
  createClient(CatalogService, createConnectTransport({ baseUrl: base, httpVersion: "1.1", useBinaryFormat, nodeOptions: { agent: new Agent({ keepAlive: true }) } }));

/** A promise with its resolve, for calls the test lets finish when it chooses. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { open, opened };
}

describe("the edge's shutdown", () => {
  it("lets a call in flight finish, then stops without waiting for the deadline and refuses new connections", async () => {
    const arrived = gate();
    const release = gate();
    edge = await startEdgeWithFakes({
      catalog: {
        async getEvent() {
          arrived.open();
          await release.opened;
          return create(GetEventResponseSchema, { event: { id: EVENT_ID } });
        },
      },
    });
    const inFlight = fetch(`${edge.base}/events/${EVENT_ID}`);
    await arrived.opened;
    const closing = edge.edge.close(LONG_GRACE_MS);
    release.open();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { event: { id: string } }).event.id).toBe(EVENT_ID);
    await closing;
    await expect(fetch(`${edge.base}/healthz`)).rejects.toThrow();
  });

  // Binary streams (what browsers open) are served by the edge's framed path, JSON ones by connect-es.
  it.each([
    ["binary", true],
    ["JSON", false],
  ])("ends an open %s WatchEventTickets stream with UNAVAILABLE at the grace deadline instead of waiting for it", async (_format, binary) => {
    const upstreamCancelled = gate();
    edge = await startEdgeWithFakes({
      catalog: {
        async *watchEventTickets(_request, context) {
          yield create(WatchEventTicketsResponseSchema, { snapshot: true });
          // A live seat map: no more changes, and the stream never ends by itself.
          await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
          upstreamCancelled.open();
        },
      },
    });
    const catalog = watchingClient(edge.base, binary);
    const stream = catalog.watchEventTickets({ eventId: EVENT_ID })[Symbol.asyncIterator]();
    expect((await stream.next()).value).toMatchObject({ snapshot: true });

    const closing = edge.edge.close(200);
    const ending = await stream.next().then(
      () => undefined,
      (error: unknown) => ConnectError.from(error),
    );
    expect(ending?.code).toBe(Code.Unavailable);
    await closing;
    // The edge's end of the stream also cancelled the call to the catalog behind it.
    await upstreamCancelled.opened;
  });

  it.each([
    ["binary", true],
    ["JSON", false],
  ])("stops as soon as an open %s stream ends by itself (the catalog ended it), before the deadline", async (_format, binary) => {
    const endStream = gate();
    edge = await startEdgeWithFakes({
      catalog: {
        async *watchEventTickets() {
          yield create(WatchEventTicketsResponseSchema, { snapshot: true });
          await endStream.opened;
        },
      },
    });
    const catalog = watchingClient(edge.base, binary);
    const stream = catalog.watchEventTickets({ eventId: EVENT_ID })[Symbol.asyncIterator]();
    expect((await stream.next()).value).toMatchObject({ snapshot: true });
    const closing = edge.edge.close(LONG_GRACE_MS);
    endStream.open();
    expect(await stream.next()).toMatchObject({ done: true });
    await closing;
  });
});
