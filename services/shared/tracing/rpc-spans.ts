import { context, propagation, trace, INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, type Context, type Span, type TextMapGetter, type TextMapSetter } from "@opentelemetry/api";
import type { DescMethod } from "@bufbuild/protobuf";
import type * as grpc from "@grpc/grpc-js";
import { REQUEST_ID_HEADER } from "../rpc/request-id-header.js";

/**
 * Spans and W3C trace context for the internal gRPC hop, which runs on our own grpc-js host and
 * transport (the grpc-js instrumentation would patch grpc-js underneath them and name nothing we
 * see). Only @opentelemetry/api is used: without a registered SDK every call here is the API's
 * no-op, and attributes are only built for spans that record.
 */
const tracer = trace.getTracer("boxoffice.rpc");

const metadataSetter: TextMapSetter<grpc.Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

const metadataGetter: TextMapGetter<grpc.Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key);
    return values.length === 0 ? undefined : values.map(String);
  },
};

interface MethodNames {
  span: string;
  service: string;
  method: string;
  /** Health checks come from kubelets and the edge's monitor every few seconds: a trace each would bury the requests. */
  untraced: boolean;
}

const UNTRACED = new Set(["grpc.health.v1.Health"]);
const NOT_TRACED = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

const names = new WeakMap<DescMethod, MethodNames>();

function namesOf(method: DescMethod): MethodNames {
  let known = names.get(method);
  if (!known) {
    // The semantic conventions' span name for RPC: package.Service/Method.
    known = { span: `${method.parent.typeName}/${method.name}`, service: method.parent.typeName, method: method.name, untraced: UNTRACED.has(method.parent.typeName) };
    names.set(method, known);
  }
  return known;
}

function started(kind: SpanKind, method: DescMethod, parent: Context, peer?: string): Span {
  const known = namesOf(method);
  if (known.untraced) return NOT_TRACED;
  const span = tracer.startSpan(known.span, { kind }, parent);
  if (span.isRecording()) {
    span.setAttributes({ "rpc.system": "grpc", "rpc.service": known.service, "rpc.method": known.method });
    if (peer) span.setAttribute("server.address", peer);
  }
  return span;
}

/** A client span for one call on the wire, its context injected into the outgoing metadata. */
export function startClientSpan(method: DescMethod, address: string, metadata: grpc.Metadata): Span {
  const span = started(SpanKind.CLIENT, method, context.active(), address);
  if (span !== NOT_TRACED) propagation.inject(trace.setSpan(context.active(), span), metadata, metadataSetter);
  return span;
}

/** A server span continuing the caller's trace from the incoming metadata, and the context to run the handler in. */
export function startServerSpan(method: DescMethod, metadata: grpc.Metadata): { span: Span; context: Context } {
  const parent = propagation.extract(context.active(), metadata, metadataGetter);
  const span = started(SpanKind.SERVER, method, parent);
  // The key of the request's log lines in every process, as on the edge's span.
  const requestId = span.isRecording() ? metadata.get(REQUEST_ID_HEADER)[0] : undefined;
  if (requestId !== undefined) span.setAttribute("boxoffice.request_id", String(requestId));
  return { span, context: span === NOT_TRACED ? parent : trace.setSpan(parent, span) };
}

// Codes that are the server's failure, not the caller's (the RPC conventions for server spans).
const SERVER_FAULTS = new Set([2, 4, 12, 13, 14, 15]);

function ended(span: Span, code: number, message: string | undefined, isFailure: boolean): void {
  if (span.isRecording()) {
    span.setAttribute("rpc.grpc.status_code", code);
    if (isFailure) span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  span.end();
}

/** Ends a client span with the call's gRPC status code (0 is OK): any other code failed the caller. */
export function endClientSpan(span: Span, code: number, message?: string): void {
  ended(span, code, message, code !== 0);
}

/** Ends a server span with the status it answered; a refusal of a bad request is no failure of the server. */
export function endServerSpan(span: Span, code: number, message?: string): void {
  ended(span, code, message, SERVER_FAULTS.has(code));
}
