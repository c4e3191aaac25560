import { Code, ConnectError } from "@connectrpc/connect";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Caller } from "../../shared/auth/caller.js";
import type { TokenVerifier } from "../../shared/auth/token-verifier.js";
import { DomainError } from "../../shared/errors/domain-error.js";
import { toConnectError } from "../../shared/errors/to-connect-error.js";
import { accessOf } from "./access-policy.js";
import type { LimitVerdict, RateLimits } from "./rate-limits.js";

export interface GateDeps {
  verifyToken: TokenVerifier;
  limits: RateLimits;
  /** Refusals on these routes are handed to the Connect handler, which words them per protocol. */
  isConnectRoute(routeUrl: string | undefined): boolean;
  /** Answers a REST request with the refusal. */
  sendRefusal(reply: FastifyReply, error: ConnectError): FastifyReply;
}

export interface Gate {
  /** The onRequest hook for every API route. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** What the gate refused for a Connect request, for the rejection interceptor to throw. */
  refusalOf(request: FastifyRequest): ConnectError | undefined;
}

/**
 * The door every API request passes: the address's rate limit (before any work), the bearer
 * token and the route's access rule, then the user's rate limit.
 */
export function createGate(deps: GateDeps): Gate {
  const refusals = new WeakMap<FastifyRequest, ConnectError>();

  async function decide(request: FastifyRequest, reply: FastifyReply): Promise<ConnectError | undefined> {
    const byIp = await deps.limits.perIp(request);
    if (!byIp.allowed) return tooMany(reply, byIp, "this address");

    const authorization = request.headers.authorization;
    let caller: Caller | undefined;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1]) return unauthenticated(reply, "Authorization header must be 'Bearer <token>'");
      try {
        caller = await deps.verifyToken(match[1]);
      } catch (error) {
        return unauthenticated(reply, `invalid or expired token: ${(error as Error).message}`);
      }
    }

    const access = accessOf(request.routeOptions.url);
    if (access !== "public" && !caller) return unauthenticated(reply, "sign in first: this call needs an Authorization: Bearer <token> header");
    if (access === "admin" && !caller?.roles.includes("admin")) {
      return new ConnectError('this call needs the "admin" role', Code.PermissionDenied);
    }

    if (caller) {
      const byUser = await deps.limits.perUser(request, caller.userId);
      if (!byUser.allowed) return tooMany(reply, byUser, "this user");
    }
    return undefined;
  }

  return {
    async check(request, reply) {
      const refusal = await decide(request, reply);
      if (!refusal) return;
      if (deps.isConnectRoute(request.routeOptions.url)) refusals.set(request, refusal);
      else await deps.sendRefusal(reply, refusal);
    },
    refusalOf: (request) => refusals.get(request),
  };
}

function tooMany(reply: FastifyReply, verdict: Extract<LimitVerdict, { allowed: false }>, who: string): ConnectError {
  // A header rather than error metadata, so REST, Connect and gRPC-Web answers all carry it.
  reply.header("retry-after", String(verdict.retryAfterSeconds));
  return toConnectError(
    new DomainError("rate_limited", `too many requests from ${who}; retry in ${verdict.retryAfterSeconds} s`, {
      retryAfterSeconds: verdict.retryAfterSeconds,
      limit: verdict.limit,
    }),
  );
}

function unauthenticated(reply: FastifyReply, message: string): ConnectError {
  reply.header("www-authenticate", 'Bearer realm="boxoffice"');
  return new ConnectError(message, Code.Unauthenticated);
}
