import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

/** The gRPC code name a client reads in the body for each HTTP status fastify itself answers. */
const codeOfStatus: Record<number, string> = {
  400: "InvalidArgument",
  401: "Unauthenticated",
  403: "PermissionDenied",
  404: "NotFound",
  406: "InvalidArgument",
  413: "ResourceExhausted",
  415: "InvalidArgument",
  429: "ResourceExhausted",
};

/**
 * Errors raised by fastify before a route runs (malformed JSON, a body over the limit, an
 * unsupported content type) in the same {error: {code, message, details}} shape as the routes'
 * own errors; anything unexpected is logged and answered without internals.
 */
export function createFastifyErrorHandler(bodyLimitBytes: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply.status(413).send({
        error: { code: "ResourceExhausted", message: `the request body is larger than ${bodyLimitBytes} bytes`, details: { limitBytes: bodyLimitBytes } },
      });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: { code: codeOfStatus[status] ?? "InvalidArgument", message: error.message, details: { reason: error.code } } });
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send({ error: { code: "Internal", message: "internal error" } });
  };
}
