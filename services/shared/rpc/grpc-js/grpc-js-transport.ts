import * as grpc from "@grpc/grpc-js";
import type { DescMessage, DescMethod, DescMethodStreaming, DescMethodUnary } from "@bufbuild/protobuf";
import { applyInterceptors, normalize } from "./connect-plumbing.js";
import {
  Code,
  ConnectError,
  createContextValues,
  type ContextValues,
  type Interceptor,
  type StreamRequest,
  type StreamResponse,
  type Transport,
  type UnaryRequest,
  type UnaryResponse,
} from "@connectrpc/connect";
import { MalformedMessage, methodCodec } from "./method-codec.js";
import { errorFromStatus, headersFromMetadata, metadataFromHeaders } from "./grpc-status.js";
import { GRPC_MESSAGE_LIMIT_BYTES } from "./grpc-limits.js";
import { endClientSpan, startClientSpan } from "../../tracing/rpc-spans.js";

export interface GrpcJsTransportOptions {
  /** host:port of the service, or any grpc-js target (dns:///name:port, ipv4:a:p,b:q). */
  address: string;
  /** Spread calls over every address the target resolves to, not only the first. */
  roundRobin?: boolean;
  /** connect-es client interceptors, run as connect-node's transports run them. */
  interceptors?: Interceptor[];
}

export interface GrpcJsTransport extends Transport {
  close(): void;
}

// A call without a caller's signal still hands interceptors one; it never fires, so one will do.
const NEVER_ABORTED = new AbortController().signal;

function received<T>(value: T | MalformedMessage | undefined): T {
  if (value instanceof MalformedMessage) throw new ConnectError(`the service's response is not a valid message: ${value.reason}`, Code.Internal);
  if (value === undefined) throw new ConnectError("the service answered no message", Code.Internal);
  return value;
}

/**
 * A connect-es Transport over a @grpc/grpc-js channel: the edge's typed clients, interceptors
 * and error handling stay connect-es's, while each call costs what grpc-js costs. Deadlines go
 * on the wire (grpc-timeout), a caller's abort cancels the call (RST_STREAM), errors arrive as
 * the ConnectError connect-es's own gRPC transport raises, details included.
 */
export function createGrpcJsTransport(options: GrpcJsTransportOptions): GrpcJsTransport {
  const client = new grpc.Client(options.address, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": GRPC_MESSAGE_LIMIT_BYTES,
    "grpc.max_send_message_length": GRPC_MESSAGE_LIMIT_BYTES,
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_permit_without_calls": 1,
    // Reconnect quickly after a pod restarts: an on-sale does not wait grpc-js's default backoff.
    "grpc.initial_reconnect_backoff_ms": 200,
    "grpc.max_reconnect_backoff_ms": 2_000,
    // Replicas behind one target: a dead one leaves the picker at once and calls go to the rest.
    ...(options.roundRobin ? { "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }) } : {}),
  });
  const interceptors = options.interceptors ?? [];
  // A URL names one authority: the first replica of a list stands for all (spans, interceptors).
  const baseUrl = `http://${options.address.replace(/^(dns:(\/\/[^/]*)?\/|ipv[46]:)/, "").split(",")[0]}`;

  function requestCommon(method: DescMethod, signal: AbortSignal | undefined, header: ConstructorParameters<typeof Headers>[0] | undefined, contextValues: ContextValues | undefined) {
    return {
      service: method.parent,
      method,
      requestMethod: "POST",
      url: `${baseUrl}${methodCodec(method).path}`,
      header: new Headers(header),
      contextValues: contextValues ?? createContextValues(),
      signal: signal ?? NEVER_ABORTED,
    };
  }

  function callOptions(deadline: number | undefined): grpc.CallOptions {
    return deadline === undefined ? {} : { deadline };
  }

  function abortable(signal: AbortSignal, call: grpc.Call, reject: (error: unknown) => void) {
    if (signal === NEVER_ABORTED) return () => {};
    const onAbort = () => {
      call.cancel();
      reject(ConnectError.from(signal.reason ?? "the call was cancelled", Code.Canceled));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    return () => signal.removeEventListener("abort", onAbort);
  }

  return {
    async unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: ConstructorParameters<typeof Headers>[0] | undefined,
      input: unknown,
      contextValues?: ContextValues,
    ): Promise<UnaryResponse<I, O>> {
      const codec = methodCodec(method);
      // One deadline for the call, retries by interceptors included.
      const deadline = timeoutMs === undefined || timeoutMs <= 0 ? undefined : Date.now() + timeoutMs;
      const send = (request: UnaryRequest<I, O>) =>
        new Promise<UnaryResponse<I, O>>((resolve, reject) => {
          let responseHeader: grpc.Metadata | undefined;
          let stopListening = () => {};
          const metadata = metadataFromHeaders(request.header);
          // One span per call on the wire, so a retried read shows as two.
          const span = startClientSpan(method, options.address, metadata);
          const call = client.makeUnaryRequest(
            codec.path,
            codec.serializeInput,
            codec.deserializeOutput,
            request.message,
            metadata,
            callOptions(deadline),
            (error, value) => {
              stopListening();
              endClientSpan(span, error ? error.code : 0, error?.details);
              if (error) return reject(errorFromStatus(error));
              try {
                resolve({
                  stream: false,
                  service: method.parent,
                  method,
                  header: new Headers(headersFromMetadata(responseHeader)),
                  trailer: new Headers(),
                  message: received(value) as never,
                });
              } catch (failure) {
                reject(failure);
              }
            },
          );
          call.once("metadata", (metadata) => (responseHeader = metadata));
          stopListening = abortable(request.signal, call, reject);
        });
      const request = { ...requestCommon(method, signal, header, contextValues), stream: false as const, message: normalize(method.input, input) };
      return applyInterceptors(send, interceptors)(request as UnaryRequest<I, O>);
    },

    async stream<I extends DescMessage, O extends DescMessage>(
      method: DescMethodStreaming<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: ConstructorParameters<typeof Headers>[0] | undefined,
      input: AsyncIterable<unknown>,
      contextValues?: ContextValues,
    ): Promise<StreamResponse<I, O>> {
      if (method.methodKind !== "server_streaming") {
        throw new ConnectError(`${method.name}: only server streams are called over grpc-js here`, Code.Unimplemented);
      }
      const codec = methodCodec(method);
      const deadline = timeoutMs === undefined || timeoutMs <= 0 ? undefined : Date.now() + timeoutMs;
      const send = async (request: StreamRequest<I, O>): Promise<StreamResponse<I, O>> => {
        let first: unknown;
        for await (const message of request.message) {
          first = message;
          break;
        }
        const metadata = metadataFromHeaders(request.header);
        const span = startClientSpan(method, options.address, metadata);
        const call = client.makeServerStreamRequest(codec.path, codec.serializeInput, codec.deserializeOutput, normalize(method.input, first), metadata, callOptions(deadline));
        // The stream's status, whoever ended it: the server, the deadline or our own cancel.
        call.once("status", (status: grpc.StatusObject) => endClientSpan(span, status.code, status.details));
        const responseHeader = new Headers();
        call.once("metadata", (metadata) => headersFromMetadata(metadata).forEach(([key, value]) => responseHeader.append(key, value)));
        const onAbort = () => call.cancel();
        if (request.signal !== NEVER_ABORTED) request.signal.addEventListener("abort", onAbort, { once: true });
        async function* messages() {
          try {
            for await (const message of call) yield received(message) as never;
          } catch (error) {
            if (request.signal.aborted) throw ConnectError.from(request.signal.reason ?? "the call was cancelled", Code.Canceled);
            throw errorFromStatus(error as grpc.ServiceError);
          } finally {
            request.signal.removeEventListener("abort", onAbort);
            // A consumer that stops reading ends the call on the wire too.
            call.cancel();
          }
        }
        return { stream: true, service: method.parent, method, header: responseHeader, trailer: new Headers(), message: messages() };
      };
      const request = { ...requestCommon(method, signal, header, contextValues), stream: true as const, message: input };
      return applyInterceptors(send, interceptors)(request as StreamRequest<I, O>);
    },

    close() {
      client.close();
    },
  } as GrpcJsTransport;
}
