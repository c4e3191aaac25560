import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { create, isMessage, type DescMessage, type JsonReadOptions, type JsonWriteOptions, type DescMethodServerStreaming, type MessageShape } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextKey,
  createContextValues,
  type ContextValues,
  type HandlerContext,
  type Interceptor,
  type StreamRequest,
  type StreamResponse,
} from "@connectrpc/connect";
import { createMethodSerializationLookup, createMethodUrl, pipe, transformParseEnvelope, transformSplitEnvelope } from "@connectrpc/connect/protocol";
import * as connect from "@connectrpc/connect/protocol-connect";
import * as grpcWeb from "@connectrpc/connect/protocol-grpc-web";
import type { FastifyReply, FastifyRequest } from "fastify";
import { applyInterceptors } from "../../shared/rpc/grpc-js/connect-plumbing.js";
import { framedOnce } from "../../shared/streams/message-frames.js";

/** A server-streaming implementation, as connect-es takes it. */
export type ServerStreamImpl<I extends DescMessage, O extends DescMessage> = (request: MessageShape<I>, context: HandlerContext) => AsyncIterable<MessageShape<O>>;

export interface FramedServerStreamOptions<I extends DescMessage, O extends DescMessage> {
  method: DescMethodServerStreaming<I, O>;
  impl: ServerStreamImpl<I, O>;
  /** The same interceptors connect-es runs around every other call, outermost first. */
  interceptors: readonly Interceptor[];
  /** Values for the call's context (the gate's verdict), as the Connect plugin's contextValues. */
  contextValues?: (request: FastifyRequest) => ContextValues;
  jsonOptions?: Partial<JsonReadOptions & JsonWriteOptions>;
  readMaxBytes: number;
  maxTimeoutMs: number;
  /** Aborted when the server shuts down: every stream open then ends with the signal's reason. */
  shutdownSignal: AbortSignal;
  /**
   * A write that has not drained after this long ends the stream and its connection: the client
   * stopped reading. Until then a slow reader is paced (it takes its next message only once its
   * last write drained), never buffered for.
   */
  stallMs: number;
  onDropped?: (request: FastifyRequest) => void;
}

/** What differs between the two protocols browsers stream with: the data frames are the same. */
interface Protocol {
  name: "connect" | "grpc-web";
  contentType: string;
  encodingHeader: string;
  timeoutHeader: string;
  parseTimeout(value: string | null, maxTimeoutMs: number): { timeoutMs?: number; error?: ConnectError };
  /** The flag of a request frame that is not a message. */
  requestEndFlag: number;
  /** The trailers a call starts with. */
  trailer(): Headers;
  /** The stream's last frame: its status and trailers. */
  end(trailer: Headers, error: ConnectError | undefined): Buffer;
}

function flagged(flags: number, data: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(data.length + 5);
  frame[0] = flags;
  frame.writeUInt32BE(data.length, 1);
  frame.set(data, 5);
  return frame;
}

function protocols(jsonOptions: Partial<JsonReadOptions & JsonWriteOptions> | undefined) {
  const endStream = connect.createEndStreamSerialization(jsonOptions);
  const trailers = grpcWeb.createTrailerSerialization();
  const connectProtocol: Protocol = {
    name: "connect",
    contentType: connect.contentTypeStreamProto,
    encodingHeader: connect.headerStreamEncoding,
    timeoutHeader: connect.headerTimeout,
    parseTimeout: connect.parseTimeout,
    requestEndFlag: connect.endStreamFlag,
    trailer: () => new Headers(),
    end: (trailer, error) => flagged(connect.endStreamFlag, endStream.serialize({ metadata: trailer, error })),
  };
  const grpcWebProtocol: Protocol = {
    name: "grpc-web",
    contentType: grpcWeb.contentTypeProto,
    encodingHeader: grpcWeb.headerEncoding,
    timeoutHeader: grpcWeb.headerTimeout,
    parseTimeout: grpcWeb.parseTimeout,
    requestEndFlag: grpcWeb.trailerFlag,
    trailer: () => new Headers({ [grpcWeb.headerGrpcStatus]: grpcWeb.grpcStatusOk }),
    end: (trailer, error) => flagged(grpcWeb.trailerFlag, trailers.serialize(error ? grpcWeb.setTrailerStatus(trailer, error) : trailer)),
  };
  return { connect: connectProtocol, grpcWeb: grpcWebProtocol };
}

const CALL_FINISHED = new ConnectError("the call has finished", Code.Canceled);
const CLIENT_GONE = new ConnectError("the client closed the stream", Code.Canceled);

/** The context of one framed call: what connect-es's createHandlerContext gives, made lean (one AbortController, headers on first use). */
class FramedCall implements HandlerContext {
  readonly requestMethod = "POST";
  readonly requestHeader: Headers;
  readonly values: ContextValues;
  private readonly controller = new AbortController();
  private deadline: { at: number; timer: NodeJS.Timeout } | undefined;
  private headers: Headers | undefined;
  private trailers: Headers | undefined;

  constructor(
    readonly service: DescMethodServerStreaming["parent"],
    readonly method: DescMethodServerStreaming,
    readonly protocol: Protocol,
    readonly url: string,
    request: FastifyRequest,
    values: ContextValues,
  ) {
    this.protocolName = protocol.name;
    this.values = values;
    const header = new Headers();
    for (let i = 0; i < request.raw.rawHeaders.length; i += 2) header.append(request.raw.rawHeaders[i]!, request.raw.rawHeaders[i + 1]!);
    this.requestHeader = header;
  }

  readonly protocolName: string;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  timeoutMs(): number | undefined {
    return this.deadline ? Math.max(0, this.deadline.at - Date.now()) : undefined;
  }

  get responseHeader(): Headers {
    return (this.headers ??= new Headers());
  }

  get responseTrailer(): Headers {
    return (this.trailers ??= this.protocol.trailer());
  }

  expireAfter(ms: number): void {
    const timer = setTimeout(() => this.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded)), ms);
    this.deadline = { at: Date.now() + ms, timer };
  }

  abort(reason: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** The call is over: a handler still holding the signal sees it aborted, as connect-es does. */
  finish(): void {
    clearTimeout(this.deadline?.timer);
    this.abort(CALL_FINISHED);
  }
}

/**
 * A server stream served below connect-es, for the streams one message of which goes to
 * thousands of browsers (live seat maps). connect-es encodes and envelopes every message once
 * per stream, through half a dozen async generators, and links each call's signal to the
 * server's shutdown signal (a listener per call on one EventTarget, whose add walks the others);
 * at thousands of streams that was most of the edge's CPU. Here each message's data frame is
 * made once (`framedOnce`: by message object, so a message shared by every stream is one Buffer
 * written to every socket), the interceptors and the implementation are the same as connect-es
 * runs, and the framing of the request, the end of the stream and errors reuse connect-es's own
 * protocol code, so a client sees the same bytes. Serves binary Connect streams and binary
 * gRPC-Web without request compression, what browsers send; `accepts` says which requests, and
 * the rest (JSON, compressed requests) stay with connect-es.
 *
 * Backpressure: the next message is pulled from the implementation only once the last write
 * drained, so a slow reader is paced by its own socket (the fanout behind it keeps nothing per
 * watcher and sends a reader that fell far behind a snapshot instead); a reader whose write has
 * not drained for `stallMs` is dropped.
 */
export function framedServerStream<I extends DescMessage, O extends DescMessage>(options: FramedServerStreamOptions<I, O>) {
  const { method, impl } = options;
  const url = createMethodUrl("/", method);
  const { connect: connectProtocol, grpcWeb: grpcWebProtocol } = protocols(options.jsonOptions);
  const input = createMethodSerializationLookup(method, undefined, options.jsonOptions, { readMaxBytes: options.readMaxBytes, writeMaxBytes: 0xffffffff }).getI(true);
  const live = new Set<FramedCall>();
  let dropped = 0;
  // One listener for every stream, not one per stream.
  const shutdown = options.shutdownSignal;
  shutdown.addEventListener(
    "abort",
    () => {
      for (const call of live) call.abort(shutdown.reason);
    },
    { once: true },
  );

  const chain = applyInterceptors(async (request: StreamRequest<I, O>): Promise<StreamResponse<I, O>> => {
    const call = request.contextValues.get(FRAMED_CALL)!;
    const message = impl(await single(request.message), call);
    return { stream: true, service: method.parent, method, header: call.responseHeader, trailer: call.responseTrailer, message };
  }, options.interceptors as Interceptor[]);

  function protocolOf(request: FastifyRequest): Protocol | undefined {
    if (request.method !== "POST") return undefined;
    const contentType = request.headers["content-type"] ?? null;
    const connectType = connect.parseContentType(contentType);
    const grpcWebType = connectType ? undefined : grpcWeb.parseContentType(contentType);
    let protocol: Protocol | undefined;
    if (connectType?.stream === true && connectType.binary) protocol = connectProtocol;
    else if (grpcWebType?.binary === true && !grpcWebType.text) protocol = grpcWebProtocol;
    if (!protocol) return undefined;
    // A compressed request is connect-es's to decompress; browsers do not compress.
    const encoding = request.headers[protocol.encodingHeader.toLowerCase()];
    return encoding === undefined || encoding === "identity" ? protocol : undefined;
  }

  async function serve(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const protocol = protocolOf(request)!;
    const res = reply.raw;
    const values = options.contextValues?.(request) ?? createContextValues();
    const call = new FramedCall(method.parent, method as DescMethodServerStreaming, protocol, url, request, values);
    values.set(FRAMED_CALL, call);
    live.add(call);
    if (shutdown.aborted) call.abort(shutdown.reason);
    const gone = () => {
      if (!res.writableFinished) call.abort(CLIENT_GONE);
    };
    res.once("close", gone);

    let response: StreamResponse<I, O> | undefined;
    let iterator: AsyncIterator<MessageShape<O>> | undefined;
    let done = false;
    let failure: unknown;
    try {
      const timeout = protocol.parseTimeout(header(request, protocol.timeoutHeader), options.maxTimeoutMs);
      if (timeout.error) throw timeout.error;
      if (timeout.timeoutMs !== undefined) call.expireAfter(timeout.timeoutMs);
      const requests = pipe(request.raw, transformSplitEnvelope(options.readMaxBytes), transformParseEnvelope(input, protocol.requestEndFlag));
      response = await chain({
        stream: true,
        service: method.parent,
        method,
        requestMethod: "POST",
        url,
        header: call.requestHeader,
        contextValues: values,
        signal: call.signal,
        message: requests as AsyncIterable<MessageShape<I>>,
      });
      iterator = response.message[Symbol.asyncIterator]();
      // Headers go out with the first message (or the end), so the implementation may still add some.
      let next = await iterator.next();
      for (; !next.done; next = await iterator.next()) {
        if (res.destroyed) break;
        if (!res.headersSent) writeHead(reply, protocol, response.header);
        const message = isMessage(next.value, method.output) ? next.value : create(method.output, next.value as never);
        if (!res.write(framedOnce(method.output, message))) await drained(request, res, call);
      }
      done = next.done === true;
    } catch (error) {
      failure = error;
    } finally {
      call.finish();
      live.delete(call);
      // Left early (the client went away, a write failed): let the implementation's finally blocks run.
      if (iterator && !done) void iterator.return?.()?.catch(() => undefined);
    }
    if (res.destroyed || res.writableEnded) return;
    if (!res.headersSent) writeHead(reply, protocol, response?.header);
    const error = failure === undefined ? undefined : failure instanceof ConnectError ? failure : new ConnectError("internal error", Code.Internal, undefined, undefined, failure);
    res.end(protocol.end(response?.trailer ?? call.responseTrailer, error));
  }

  /**
   * Writes waiting to drain, by when they started. One sweep a fraction of stallMs drops those
   * past it: a timer per backpressured write (every snapshot to a slow socket) cost more than
   * the wait it watched.
   */
  const waiting = new Map<FramedCall, { since: number; drop(): void }>();
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () => {
    const now = performance.now();
    for (const [call, write] of waiting) {
      if (now - write.since < options.stallMs) break; // in order of since: the rest are younger
      waiting.delete(call);
      write.drop();
    }
    if (waiting.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  /** Waits for a write to drain; a reader that lets it sit for stallMs is dropped. */
  async function drained(request: FastifyRequest, res: ServerResponse, call: FramedCall): Promise<void> {
    waiting.set(call, {
      since: performance.now(),
      drop() {
        dropped += 1;
        options.onDropped?.(request);
        request.log.info({ stallMs: options.stallMs, url }, "dropped a stream whose client stopped reading");
        res.destroy();
      },
    });
    sweeper ??= setInterval(sweep, Math.max(10, Math.min(1_000, options.stallMs / 4))).unref();
    try {
      await once(res, "drain", { signal: call.signal });
    } catch (error) {
      // Ended while waiting (the client went, the server is shutting down): the call's reason says why.
      throw call.signal.aborted ? call.signal.reason : error;
    } finally {
      waiting.delete(call);
    }
  }

  return {
    /** The request path, e.g. /boxoffice.catalog.v1.CatalogService/WatchEventTickets. */
    path: url,
    /** Whether this serves the request: binary Connect or gRPC-Web streams, uncompressed. */
    accepts: (request: FastifyRequest) => protocolOf(request) !== undefined,
    serve,
    /** Streams open now. */
    open: () => live.size,
    /** Streams dropped so far because their client stopped reading. */
    dropped: () => dropped,
  };
}

export type FramedServerStream = ReturnType<typeof framedServerStream>;

/** Where the interceptor chain's last step finds the call. */
const FRAMED_CALL = createContextKey<FramedCall | undefined>(undefined, { description: "framed call" });

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name.toLowerCase()];
  return typeof value === "string" ? value : null;
}

function writeHead(reply: FastifyReply, protocol: Protocol, extra: Headers | undefined): void {
  // What fastify's hooks set on the reply (CORS, the request id, helmet's), as the Connect plugin copies them.
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
  headers["content-type"] = protocol.contentType;
  extra?.forEach((value, name) => {
    if (name !== "content-type") headers[name] = value;
  });
  reply.raw.writeHead(200, headers);
}

/** The one request message of a server stream, as connect-es requires it. */
async function single<T>(messages: AsyncIterable<T>): Promise<T> {
  const it = messages[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done === true) throw new ConnectError("protocol error: missing input message for server-streaming method", Code.Unimplemented);
  const second = await it.next();
  if (second.done !== true) throw new ConnectError("protocol error: received extra input message for server-streaming method", Code.Unimplemented);
  return first.value;
}
