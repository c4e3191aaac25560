import { getEventListeners } from "node:events";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { fastify, type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import {
  CatalogService,
  WatchEventTicketsRequestSchema,
  WatchEventTicketsResponseSchema,
  type WatchEventTicketsRequest,
} from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { validationInterceptor } from "../../shared/rpc/interceptors.js";
import { STRICT_JSON } from "../../shared/rpc/strict-json.js";
import { framedServerStream } from "./framed-server-stream.js";

const EVENT = "00000000-0000-4000-8000-000000000001";
const PATH = `/${CatalogService.typeName}/WatchEventTickets`;
const READ_MAX_BYTES = 1024;
const servers: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

type Impl = (request: WatchEventTicketsRequest, context: HandlerContext) => AsyncIterable<ReturnType<typeof create<typeof WatchEventTicketsResponseSchema>>>;

/** The same implementation and interceptors on a fastify server, served by connect-es alone or with the framed path in front, as the edge does. */
async function serve(impl: Impl, framed: boolean, shutdown = new AbortController(), stallMs = 10_000) {
  const app = fastify();
  servers.push(app);
  let framedStream: ReturnType<typeof framedServerStream> | undefined;
  const interceptors = [validationInterceptor()];
  if (framed) {
    const stream = framedServerStream({
      method: CatalogService.method.watchEventTickets,
      impl,
      interceptors,
      jsonOptions: STRICT_JSON,
      readMaxBytes: READ_MAX_BYTES,
      maxTimeoutMs: 60_000,
      shutdownSignal: shutdown.signal,
      stallMs,
    });
    framedStream = stream;
    app.addHook("onRoute", (route) => {
      if (route.url !== stream.path) return;
      const connectHandler = route.handler;
      route.handler = function (request, reply) {
        return stream.accepts(request) ? stream.serve(request, reply) : connectHandler.call(this, request, reply);
      };
    });
  }
  await app.register(fastifyConnectPlugin, {
    routes: (router) => router.service(CatalogService, { watchEventTickets: impl }),
    interceptors,
    jsonOptions: STRICT_JSON,
    readMaxBytes: READ_MAX_BYTES,
    maxTimeoutMs: 60_000,
    shutdownSignal: shutdown.signal,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, stream: framedStream };
}

/** A response body of a stream the test reads when it chooses: nothing reads it until then, so the server's writes stop draining. */
function unread(base: string) {
  let response: import("node:http").IncomingMessage | undefined;
  const req = httpRequest(`${base}${PATH}`, { method: "POST", headers: CONNECT }, (res) => (response = res));
  req.on("error", () => undefined);
  req.end(envelope(0, requestBytes()));
  return {
    get response() {
      return response;
    },
    close: () => req.destroy(),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A message of ~8 MB: more than the socket buffers between server and client hold. */
const huge = () => create(WatchEventTicketsResponseSchema, { availability: new Uint8Array(8 * 1024 * 1024) });

function envelope(flags: number, data: Uint8Array): Buffer {
  const frame = Buffer.alloc(data.length + 5);
  frame[0] = flags;
  frame.writeUInt32BE(data.length, 1);
  frame.set(data, 5);
  return frame;
}

const requestBytes = (eventId = EVENT) => Buffer.from(toBinary(WatchEventTicketsRequestSchema, create(WatchEventTicketsRequestSchema, { eventId })));

/** One raw call: status, the headers a client could act on, the body's bytes. */
async function call(base: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = httpRequest(`${base}${PATH}`, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const { date: _date, connection: _connection, "keep-alive": _keepAlive, ...kept } = res.headers;
        resolve({ status: res.statusCode!, headers: kept, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const CONNECT = { "content-type": "application/connect+proto" };
const GRPC_WEB = { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" };

const tickets = (status: TicketStatus, ...ids: string[]) => ids.map((ticketId) => ({ ticketId, status }));

const impls: Record<string, Impl> = {
  async *ok() {
    yield create(WatchEventTicketsResponseSchema, { snapshot: true, changes: tickets(TicketStatus.AVAILABLE, "t1", "t2") });
    yield create(WatchEventTicketsResponseSchema, { changes: tickets(TicketStatus.RESERVED, "t1") });
  },
  // Init shapes, as connect-es lets an implementation yield.
  async *initShapes() {
    yield { snapshot: true, changes: tickets(TicketStatus.BOOKED, "t9") } as never;
  },
  async *failsFirst(_request, context) {
    context.responseTrailer.set("x-trailer", "kept");
    throw new ConnectError("no such event", Code.NotFound, { "boxoffice-error-details": '{"eventId":"x"}' });
  },
  async *failsLater() {
    yield create(WatchEventTicketsResponseSchema, { snapshot: true });
    throw new Error("a bug");
  },
  async *withHeaders(_request, context) {
    context.responseHeader.set("x-header", "set by the implementation");
    context.responseTrailer.set("x-trailer", "set by the implementation");
    yield create(WatchEventTicketsResponseSchema, { snapshot: true });
  },
  async *waitsForItsDeadline(_request, context) {
    yield create(WatchEventTicketsResponseSchema, { snapshot: true });
    await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
    throw context.signal.reason;
  },
};

describe("a server stream served below connect-es", () => {
  const cases: Array<[string, keyof typeof impls, Record<string, string>, Buffer]> = [];
  for (const [protocol, headers] of [
    ["Connect", CONNECT],
    ["gRPC-Web", GRPC_WEB],
  ] as const) {
    cases.push(
      [`${protocol}: a snapshot and a change, then the end`, "ok", headers, envelope(0, requestBytes())],
      [`${protocol}: messages yielded as init shapes`, "initShapes", headers, envelope(0, requestBytes())],
      [`${protocol}: an error before the first message, with its metadata and trailers`, "failsFirst", headers, envelope(0, requestBytes())],
      [`${protocol}: an error after a message, not leaked`, "failsLater", headers, envelope(0, requestBytes())],
      [`${protocol}: headers and trailers the implementation set`, "withHeaders", headers, envelope(0, requestBytes())],
      [`${protocol}: a request that fails validation`, "ok", headers, envelope(0, requestBytes("not-a-uuid"))],
      [`${protocol}: a request that is not protobuf`, "ok", headers, envelope(0, Buffer.from([0xff, 0xff, 0xff]))],
      [`${protocol}: no request message`, "ok", headers, Buffer.alloc(0)],
      [`${protocol}: two request messages`, "ok", headers, Buffer.concat([envelope(0, requestBytes()), envelope(0, requestBytes())])],
      [`${protocol}: a cut envelope`, "ok", headers, envelope(0, requestBytes()).subarray(0, 8)],
      [`${protocol}: a message past readMaxBytes`, "ok", headers, envelope(0, Buffer.alloc(READ_MAX_BYTES + 1))],
    );
  }
  cases.push(
    ["Connect: a malformed timeout", "ok", { ...CONNECT, "connect-timeout-ms": "soon" }, envelope(0, requestBytes())],
    ["Connect: a timeout past the maximum", "ok", { ...CONNECT, "connect-timeout-ms": "999999999" }, envelope(0, requestBytes())],
    ["Connect: a deadline that passes", "waitsForItsDeadline", { ...CONNECT, "connect-timeout-ms": "50" }, envelope(0, requestBytes())],
    ["gRPC-Web: a deadline that passes", "waitsForItsDeadline", { ...GRPC_WEB, "grpc-timeout": "50m" }, envelope(0, requestBytes())],
  );

  it.each(cases)("answers as connect-es does, byte for byte — %s", async (_name, impl, headers, body) => {
    const [plain, framed] = await Promise.all([serve(impls[impl]!, false), serve(impls[impl]!, true)]);
    const [expected, actual] = await Promise.all([call(plain.base, headers, body), call(framed.base, headers, body)]);
    expect(actual.status).toBe(expected.status);
    expect(actual.headers).toEqual(expected.headers);
    expect(actual.body.toString("hex")).toBe(expected.body.toString("hex"));
  });

  it("serves binary Connect and gRPC-Web streams, and leaves JSON, compressed requests and other methods to connect-es", async () => {
    const stream = framedServerStream({
      method: CatalogService.method.watchEventTickets,
      impl: impls.ok!,
      interceptors: [],
      readMaxBytes: READ_MAX_BYTES,
      maxTimeoutMs: 60_000,
      shutdownSignal: new AbortController().signal,
      stallMs: 10_000,
    });
    const accepts = (method: string, headers: Record<string, string>) => stream.accepts({ method, headers } as never);
    expect(accepts("POST", CONNECT)).toBe(true);
    expect(accepts("POST", GRPC_WEB)).toBe(true);
    expect(accepts("POST", { "content-type": "application/grpc-web" })).toBe(true);
    expect(accepts("POST", { "content-type": "application/connect+json" })).toBe(false);
    expect(accepts("POST", { "content-type": "application/grpc-web+json" })).toBe(false);
    expect(accepts("POST", { "content-type": "application/grpc-web-text" })).toBe(false);
    expect(accepts("POST", { "content-type": "application/proto" })).toBe(false);
    expect(accepts("POST", { ...CONNECT, "connect-content-encoding": "gzip" })).toBe(false);
    expect(accepts("POST", { ...GRPC_WEB, "grpc-encoding": "gzip" })).toBe(false);
    expect(accepts("POST", { ...CONNECT, "connect-content-encoding": "identity" })).toBe(true);
    expect(accepts("GET", CONNECT)).toBe(false);
  });
});

describe("backpressure and shutdown on the framed path", () => {
  it("takes the next message from the implementation only once the last write drained", async () => {
    let pulled = 0;
    const { base } = await serve(async function* () {
      for (let i = 0; i < 5; i++) {
        pulled += 1;
        yield huge();
      }
    }, true);
    const client = unread(base);
    await pause(300);
    // The first message sits in the socket's buffers; nothing more was taken, so nothing more is held.
    expect(pulled).toBeLessThanOrEqual(2);
    await new Promise<void>((resolve) => {
      const read = () => {
        if (!client.response) return setTimeout(read, 10);
        client.response.on("data", () => undefined).on("end", resolve);
      };
      read();
    });
    expect(pulled).toBe(5);
  });

  it("drops a client that stopped reading once a write has sat undrained for stallMs, and ends the implementation", async () => {
    let finished = false;
    const { base, stream } = await serve(
      async function* (_request, context) {
        try {
          yield huge();
          yield huge();
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
        } finally {
          finished = true;
        }
      },
      true,
      new AbortController(),
      200,
    );
    const client = unread(base);
    await eventually(() => expect(stream!.dropped()).toBe(1));
    await eventually(() => expect(finished).toBe(true));
    expect(stream!.open()).toBe(0);
    client.close();
  });

  it("ends every open stream with the shutdown's reason, from one listener on the shutdown signal", async () => {
    const shutdown = new AbortController();
    const { base, stream } = await serve(impls.waitsForItsDeadline!, true, shutdown);
    const calls = Array.from({ length: 50 }, () => call(base, CONNECT, envelope(0, requestBytes())));
    await eventually(() => expect(stream!.open()).toBe(50));
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(1);
    shutdown.abort(new ConnectError("the edge is shutting down: retry", Code.Unavailable));
    for (const { body } of await Promise.all(calls)) {
      expect(body.toString("utf8")).toContain('"code":"unavailable"');
      expect(body.toString("utf8")).toContain("the edge is shutting down: retry");
    }
  });
});

async function eventually(check: () => void, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await pause(20);
    }
  }
}
