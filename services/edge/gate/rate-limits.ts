import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";

export interface RateLimitSettings {
  perIp: number;
  perUser: number;
  windowMs: number;
  /** Counters shared by every edge replica; without it each process counts for itself. */
  redis?: Redis | undefined;
  /** Prefix of the counters' Redis keys, so environments sharing a Redis keep apart. */
  keyPrefix?: string;
}

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number };

export interface RateLimits {
  perIp(request: FastifyRequest): Promise<LimitVerdict>;
  perUser(request: FastifyRequest, userId: string): Promise<LimitVerdict>;
}

/**
 * Fixed-window counters from @fastify/rate-limit (its Redis store, or its in-process LRU),
 * used as checks rather than as its own hook so the edge can answer each protocol in its own
 * words (HTTP 429 for REST, RESOURCE_EXHAUSTED for Connect and gRPC-Web).
 */
export async function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<RateLimits> {
  await app.register(fastifyRateLimit, {
    global: false,
    timeWindow: settings.windowMs,
    redis: settings.redis,
    nameSpace: settings.keyPrefix ?? "boxoffice-edge-rate-",
    // A Redis outage must not close the door: requests pass uncounted until it is back.
    skipOnError: true,
  });
  const userIds = new WeakMap<FastifyRequest, string>();
  const checkIp = app.createRateLimit({ max: settings.perIp, keyGenerator: (request) => `ip:${request.ip}` });
  const checkUser = app.createRateLimit({ max: settings.perUser, keyGenerator: (request) => `user:${userIds.get(request)}` });
  const verdict = async (check: typeof checkIp, request: FastifyRequest): Promise<LimitVerdict> => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, result.ttlInSeconds), limit: result.max };
  };
  return {
    perIp: (request) => verdict(checkIp, request),
    perUser: (request, userId) => {
      userIds.set(request, userId);
      return verdict(checkUser, request);
    },
  };
}
