import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { REQUEST_ID_HEADER } from "../../shared/rpc/request-id-header.js";

export { REQUEST_ID_HEADER };

// A caller's id is kept when it is plausible (a UUID, a trace id) so one id follows the request
// through proxies; anything else is replaced, as it would end up verbatim in every log line.
const ACCEPTED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Fastify's genReqId: the caller's x-request-id if acceptable, else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === "string" && ACCEPTED.test(given) ? given : randomUUID();
}

/**
 * Makes the incoming headers carry the id the edge chose, so every call forwarded to a service
 * (REST and Connect alike read the raw headers) logs the same id.
 */
export function stampRequestId(request: IncomingMessage, id: string): void {
  request.headers[REQUEST_ID_HEADER] = id;
}
