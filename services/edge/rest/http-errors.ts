import { Code, ConnectError } from "@connectrpc/connect";
import { errorToJson } from "@connectrpc/connect/protocol-connect";
import type { FastifyReply } from "fastify";
import { errorDetailsOf } from "../../shared/errors/to-connect-error.js";

/** HTTP status for each gRPC code, as DESIGN.md fixes it for the REST paths. */
const statusOf: Partial<Record<Code, number>> = {
  [Code.InvalidArgument]: 400,
  [Code.OutOfRange]: 400,
  [Code.Unauthenticated]: 401,
  [Code.PermissionDenied]: 403,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.FailedPrecondition]: 409,
  [Code.Aborted]: 409,
  [Code.ResourceExhausted]: 429,
  [Code.Unimplemented]: 501,
  [Code.Unavailable]: 503,
  [Code.DeadlineExceeded]: 504,
  [Code.Canceled]: 499,
};

export function httpStatusOf(code: Code): number {
  return statusOf[code] ?? 500;
}

/**
 * A JSON body naming the problem: the gRPC code, a sentence, and any specifics. The status
 * follows the code unless the caller knows better (413 for a body over the limit).
 */
export function sendError(reply: FastifyReply, error: unknown, httpStatus?: number): FastifyReply {
  const connectError = ConnectError.from(error);
  const status = httpStatus ?? httpStatusOf(connectError.code);
  return reply.status(status).send(errorBody(reply, connectError, status, error));
}

/**
 * The same answer on a Connect route, when the edge answers before Connect can (a body over the
 * limit, refused on its declared length): Connect's own code and message sit beside the error
 * body and the metadata goes out as headers, so a Connect client reads the code and details
 * instead of guessing them from the HTTP status.
 */
export function sendConnectRouteError(reply: FastifyReply, error: ConnectError, httpStatus: number): FastifyReply {
  error.metadata.forEach((value, name) => void reply.header(name, value));
  return reply.status(httpStatus).send({ ...errorToJson(error, undefined), ...errorBody(reply, error, httpStatus) });
}

function errorBody(reply: FastifyReply, error: ConnectError, status: number, original: unknown = error) {
  const internal = status >= 500 && status !== 501 && status !== 503 && status !== 504;
  if (internal) reply.log.error({ err: original }, "upstream call failed");
  return {
    error: {
      code: Code[error.code],
      message: internal ? "internal error" : error.rawMessage,
      details: errorDetailsOf(error),
    },
  };
}

export function badRequest(reply: FastifyReply, message: string, field?: string): FastifyReply {
  return reply.status(400).send({ error: { code: "InvalidArgument", message, details: field ? { field } : undefined } });
}
