import { once } from "node:events";
import * as grpc from "@grpc/grpc-js";
import type { DescService } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createServiceImplSpec,
  type ConnectRouter,
  type HandlerContext,
  type Interceptor,
  type UnaryRequest,
  type UnaryResponse,
  type MethodImplSpec,
  type ServiceImpl,
  type ServiceImplSpec,
} from "@connectrpc/connect";
import { createAsyncIterable, transformInvokeImplementation } from "@connectrpc/connect/protocol";
import type { DescMethodUnary } from "@bufbuild/protobuf";
import { applyInterceptors, normalize } from "./connect-plumbing.js";
import { CALL_CONTEXT, GrpcCallContext } from "./grpc-call-context.js";
import { MalformedMessage, methodCodec } from "./method-codec.js";
import { metadataFromHeaders, statusFromError } from "./grpc-status.js";
import { context as traceContext } from "@opentelemetry/api";
import { endServerSpan, startServerSpan } from "../../tracing/rpc-spans.js";

/**
 * Collects the services a routes function registers, without connect-node's HTTP pipeline:
 * the same `(router) => router.service(Svc, impl)` the Connect servers and the in-memory test
 * transport take, so handlers are written once whichever library serves them.
 */
export function collectServices(routes: Array<(router: ConnectRouter) => void>): ServiceImplSpec[] {
  const specs: ServiceImplSpec[] = [];
  const router = {
    handlers: [],
    service(service: DescService, impl: Partial<ServiceImpl<DescService>>) {
      specs.push(createServiceImplSpec(service, impl));
      return router;
    },
    rpc() {
      throw new Error("register whole services with router.service(): the gRPC host serves services, not loose methods");
    },
  };
  for (const register of routes) register(router as unknown as ConnectRouter);
  return specs;
}

function malformed(request: object): ConnectError | undefined {
  return request instanceof MalformedMessage
    ? new ConnectError(`the request is not a valid protobuf message: ${request.reason}`, Code.InvalidArgument)
    : undefined;
}

function unaryHandler(spec: MethodImplSpec, service: DescService, interceptors: Interceptor[]): grpc.handleUnaryCall<object, object> {
  const method = spec.method;
  const impl = spec.impl as (request: unknown, context: HandlerContext) => Promise<unknown> | unknown;
  // The interceptors wrap the implementation once per method, not once per call.
  const chain = applyInterceptors(async (request: UnaryRequest): Promise<UnaryResponse> => {
    const context = request.contextValues.get(CALL_CONTEXT)!;
    const output = await impl(request.message, context);
    return { stream: false, service, method: method as DescMethodUnary, header: context.responseHeader, trailer: context.responseTrailer, message: normalize(method.output, output) };
  }, interceptors);
  const path = methodCodec(method).path;
  return (call, callback) => {
    const refused = malformed(call.request);
    if (refused) return callback(statusFromError(refused) as grpc.ServiceError);
    const context = new GrpcCallContext(service, method, call);
    const traced = startServerSpan(method, call.metadata);
    const request = {
      stream: false as const,
      service,
      method,
      requestMethod: "POST",
      url: path,
      header: context.requestHeader,
      contextValues: context.values,
      message: call.request,
      get signal() {
        return context.signal;
      },
    };
    // The handler, its interceptors and every store call they make run inside the server span.
    traceContext.with(traced.context, chain, undefined, request as UnaryRequest).then(
      (response) => {
        context.finish();
        endServerSpan(traced.span, 0);
        const header = context.responseHeaderIfSet();
        if (header) call.sendMetadata(metadataFromHeaders(header));
        const trailer = context.responseTrailerIfSet();
        callback(null, response.message, trailer ? metadataFromHeaders(trailer) : undefined);
      },
      (error: unknown) => {
        context.finish();
        const status = statusFromError(error);
        endServerSpan(traced.span, status.code, status.details);
        callback(status as grpc.ServiceError);
      },
    );
  };
}

function serverStreamHandler(spec: MethodImplSpec, service: DescService, interceptors: Interceptor[]): grpc.handleServerStreamingCall<object, object> {
  return (call) => {
    const refused = malformed(call.request);
    if (refused) return void call.emit("error", statusFromError(refused));
    const context = new GrpcCallContext(service, spec.method, call);
    const traced = startServerSpan(spec.method, call.metadata);
    const output = transformInvokeImplementation(spec, context, interceptors)(createAsyncIterable([call.request]) as never);
    let code = 0;
    let message: string | undefined;
    traceContext.with(traced.context, async () => {
      let headerSent = false;
      for await (const message of output) {
        if (context.signal.aborted) break;
        const header = headerSent ? undefined : context.responseHeaderIfSet();
        if (header) call.sendMetadata(metadataFromHeaders(header));
        headerSent = true;
        // Backpressure: a slow watcher holds its own stream, not the process's memory.
        if (!call.write(message)) await once(call, "drain", { signal: context.signal });
      }
      const trailer = context.responseTrailerIfSet();
      call.end(trailer ? metadataFromHeaders(trailer) : undefined);
    })
      .catch((error: unknown) => {
        const status = statusFromError(error);
        ({ code, details: message } = status);
        if (!call.cancelled) call.emit("error", status);
      })
      .finally(() => {
        context.finish();
        endServerSpan(traced.span, call.cancelled && code === 0 ? 1 : code, message);
      });
  };
}

/** A grpc-js service definition whose handlers run connect-es implementations and interceptors. */
export function grpcServiceDefinition(spec: ServiceImplSpec, interceptors: Interceptor[]) {
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const method of spec.service.methods) {
    const methodSpec = spec.methods[method.localName]!;
    const codec = methodCodec(method);
    const streaming = method.methodKind === "server_streaming";
    if (method.methodKind !== "unary" && !streaming) {
      throw new Error(`${codec.path}: only unary and server-streaming methods are served over grpc-js here`);
    }
    definition[method.name] = {
      path: codec.path,
      requestStream: false,
      responseStream: streaming,
      requestSerialize: codec.serializeInput,
      requestDeserialize: codec.deserializeInput,
      responseSerialize: streaming ? codec.serializeSharedOutput : codec.serializeOutput,
      responseDeserialize: codec.deserializeOutput,
      originalName: method.localName,
    };
    handlers[method.name] = streaming
      ? serverStreamHandler(methodSpec, spec.service, interceptors)
      : unaryHandler(methodSpec, spec.service, interceptors);
  }
  return { definition: definition as grpc.ServiceDefinition, handlers };
}
