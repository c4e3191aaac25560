import { causeChain } from "./cause-chain.js";

/**
 * Whether an error means a dependency could not be reached or dropped the connection (the
 * database restarting, a pool that found no connection in time), rather than a fault in our
 * code: callers get UNAVAILABLE (503), the code clients retry on, not INTERNAL. A chaos run's
 * PostgreSQL crash answered buyers 500 until this was told apart.
 */
const NETWORK_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);
// SQLSTATE class 08 (connection exception); 57P01-03: admin shutdown, crash shutdown, cannot connect now.
const SQLSTATES = /^(08...|57P0[123])$/;
// Anywhere in the message: knex puts the failed query in front ("select … - Connection terminated unexpectedly").
const MESSAGES = /(^|- )(Connection terminated unexpectedly|Connection terminated$|Connection ended unexpectedly|Client has encountered a connection error and is not queryable)/;

export function isConnectionLoss(error: unknown, depth = 0): boolean {
  for (const link of causeChain(error, 3 - depth)) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_ERRNOS.has(code) || SQLSTATES.test(code))) return true;
    if (link.name === "KnexTimeoutError" || MESSAGES.test(link.message)) return true;
    if (link instanceof AggregateError && link.errors.some((inner) => isConnectionLoss(inner, depth + 1))) return true;
  }
  return false;
}
