import type { FastifyRequest } from "fastify";
import { forwardedHeaders } from "../connect-forwarding.js";

/** A REST route's call to a service: the edge's deadline, the caller's token and request id. */
export function upstreamCallOptions(request: FastifyRequest, timeoutMs: number) {
  return { timeoutMs, headers: forwardedHeaders(new Headers(request.headers as Record<string, string>)) };
}
