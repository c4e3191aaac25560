/**
 * The header that carries the id of the browser request a call serves: the edge picks it
 * (services/edge/gate/request-id.ts), forwards it on every internal call, and every service
 * logs it, so one search finds a request's lines in every process.
 */
export const REQUEST_ID_HEADER = "x-request-id";
