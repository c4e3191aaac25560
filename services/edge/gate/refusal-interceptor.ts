import { createContextKey, createContextValues, type ConnectError, type Interceptor } from "@connectrpc/connect";
import type { FastifyRequest } from "fastify";
import type { Gate } from "./edge-gate.js";

const refusalKey = createContextKey<ConnectError | undefined>(undefined, { description: "edge refusal" });

/** Carries the gate's verdict on a request into the Connect handler that serves it. */
export function refusalContextValues(gate: Gate) {
  return (request: FastifyRequest) => createContextValues().set(refusalKey, gate.refusalOf(request));
}

/**
 * Throws what the gate refused, so Connect itself words the error for the protocol in use
 * (an HTTP status for Connect unary, an end-of-stream message for streams, grpc-status for
 * gRPC-Web) and the call never reaches a service.
 */
export function refusalInterceptor(): Interceptor {
  return (next) => async (request) => {
    const refusal = request.contextValues.get(refusalKey);
    if (refusal) throw refusal;
    return next(request);
  };
}
