import type { FastifyReply, FastifyRequest } from "fastify";
import { forwardedHeaders } from "../connect-forwarding.js";

/**
 * A REST route's call to a service: the edge's deadline, the caller's token and request id, and,
 * given the reply, a signal that aborts when the caller goes away before its answer is sent, so
 * the service stops the work too (a confirm before it charges or commits; a search or an event's
 * view cancels its PostgreSQL read).
 */
export function upstreamCallOptions(request: FastifyRequest, timeoutMs: number, reply?: FastifyReply) {
  const headers = forwardedHeaders(new Headers(request.headers as Record<string, string>));
  return reply ? { timeoutMs, headers, signal: callerGone(reply) } : { timeoutMs, headers };
}

/** Aborts when the response closes unfinished: the HTTP caller closed the connection or gave up. */
export function callerGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  // A response closes once, finished or not, so the listener never outlives its request.
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort(new Error("the caller closed the connection before its answer"));
  });
  return controller.signal;
}
