import { Code, ConnectError } from "@connectrpc/connect";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Caller } from "../../shared/auth/caller.js";
import type { TokenVerifier } from "../../shared/auth/token-verifier.js";
import { DomainError } from "../../shared/errors/domain-error.js";
import { toConnectError } from "../../shared/errors/to-connect-error.js";
import { ERROR_DETAILS_HEADER } from "../relayed-error.js";
import { accessOf } from "./access-policy.js";
import type { LimitVerdict, RateLimits } from "./rate-limits.js";
import type { StreamCaps, StreamSlot } from "./stream-caps.js";

/** Why the gate turned a request away; answered with httpStatus, on any route, when the code's own status would mislead. */
export interface Refusal {
  error: ConnectError;
  httpStatus?: number;
}

export interface GateDeps {
  verifyToken: TokenVerifier;
  limits: RateLimits;
  /** Live streams open at once per address and user. */
  streams: StreamCaps;
  bodyLimitBytes: number;
  /** Refusals on these routes (but those with their own httpStatus) go to the Connect handler, which words them per protocol. */
  isConnectRoute(routeUrl: string | undefined): boolean;
  /** Server streams, which hold a place under the stream caps while open. */
  isStreamRoute(routeUrl: string | undefined): boolean;
  /** Answers the request with the refusal itself; onConnectRoute when a Connect client sent it. */
  sendRefusal(reply: FastifyReply, refusal: Refusal, onConnectRoute: boolean): FastifyReply;
}

export interface Gate {
  /** The onRequest hook for every API route. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** What the gate refused for a Connect request, for the refusal interceptor to throw. */
  refusalOf(request: FastifyRequest): ConnectError | undefined;
}

/**
 * The door every API request passes, cheapest check first: the declared body size, the
 * address's rate limit, the bearer token and the route's access rule, then the user's rate
 * limit, and for a stream a place under the stream caps, held until its response closes.
 */
export function createGate(deps: GateDeps): Gate {
  const refusals = new WeakMap<FastifyRequest, ConnectError>();

  async function decide(request: FastifyRequest, reply: FastifyReply): Promise<Refusal | undefined> {
    const declaredBytes = Number(request.headers["content-length"] ?? 0);
    if (declaredBytes > deps.bodyLimitBytes) return tooLarge(deps.bodyLimitBytes);

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
      return { error: new ConnectError('this call needs the "admin" role', Code.PermissionDenied) };
    }

    if (caller) {
      const byUser = await deps.limits.perUser(request, caller.userId);
      if (!byUser.allowed) return tooMany(reply, byUser, "this user");
    }

    if (deps.isStreamRoute(request.routeOptions.url)) {
      const slot = deps.streams.acquire(request.ip, caller?.userId);
      if (!slot.granted) return tooManyStreams(slot);
      reply.raw.once("close", slot.release);
    }
    return undefined;
  }

  return {
    async check(request, reply) {
      const refusal = await decide(request, reply);
      if (!refusal) return;
      const onConnectRoute = deps.isConnectRoute(request.routeOptions.url);
      // A refusal with its own HTTP status (a body over the limit) is answered here even on a
      // Connect route: the Connect plugin would first read the body and answer its own limit
      // with RESOURCE_EXHAUSTED's 429, "slow down", which a too-large request is not.
      if (onConnectRoute && refusal.httpStatus === undefined) refusals.set(request, refusal.error);
      else await deps.sendRefusal(reply, refusal, onConnectRoute);
    },
    refusalOf: (request) => refusals.get(request),
  };
}

function tooLarge(limitBytes: number): Refusal {
  // Refused on the declared length, before any token is verified or any counter moves.
  return {
    error: new ConnectError(`the request body is larger than ${limitBytes} bytes`, Code.ResourceExhausted, {
      [ERROR_DETAILS_HEADER]: JSON.stringify({ limitBytes }),
    }),
    httpStatus: 413,
  };
}

function tooMany(reply: FastifyReply, verdict: Extract<LimitVerdict, { allowed: false }>, who: string): Refusal {
  // A header rather than error metadata, so REST, Connect and gRPC-Web answers all carry it.
  reply.header("retry-after", String(verdict.retryAfterSeconds));
  return {
    error: toConnectError(
      new DomainError("rate_limited", `too many requests from ${who}; retry in ${verdict.retryAfterSeconds} s`, {
        retryAfterSeconds: verdict.retryAfterSeconds,
        limit: verdict.limit,
      }),
    ),
  };
}

function tooManyStreams({ who, limit }: Extract<StreamSlot, { granted: false }>): Refusal {
  const whose = who === "address" ? "this address" : "this user";
  return {
    error: new ConnectError(
      `too many live streams open from ${whose}: at most ${limit} at once; close a live seat map in another tab or window, then try again`,
      Code.ResourceExhausted,
      { [ERROR_DETAILS_HEADER]: JSON.stringify({ openStreamsLimit: limit, per: who }) },
    ),
  };
}

function unauthenticated(reply: FastifyReply, message: string): Refusal {
  reply.header("www-authenticate", 'Bearer realm="boxoffice"');
  return { error: new ConnectError(message, Code.Unauthenticated) };
}
