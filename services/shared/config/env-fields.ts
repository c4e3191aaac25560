import { z } from "zod";
import { DEV_PAGE_TOKEN_SECRET } from "../paging/page-tokens.js";

/** Reusable environment fields; every process composes its own schema from these. */

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const logLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info");

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A postgres:// URL. */
export const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// URL");

/**
 * REDIS_LOCK_URLS: comma-separated redis:// URLs of the independent Redlock masters. Redlock's
 * safety needs a majority of independent nodes, so fewer than three (or one node listed twice)
 * is refused at start-up rather than silently running without a quorum to speak of.
 */
export const redisUrlList = z
  .string()
  .transform((value) => value.split(",").map((url) => url.trim()).filter(Boolean))
  .refine((urls) => urls.every((url) => /^rediss?:\/\//.test(url)), "every entry must be a redis:// URL")
  .refine((urls) => urls.length >= 3, {
    error: (issue) => `must list at least three independent Redis masters for Redlock's quorum; got ${(issue.input as string[]).length}`,
  })
  .refine((urls) => new Set(urls.map(nodeAddress)).size === urls.length, "lists one Redis node more than once; each master must be independent");

function nodeAddress(url: string): string {
  try {
    const parsed = new URL(url);
    // Another database number on the same server is not another master.
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return url;
  }
}

/** host:port of another service (Online Boutique style: one variable per dependency). */
export const serviceAddress = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d+$/, "must be host:port, e.g. catalog:50051");

/**
 * Where a client reaches the replicas of one service, as a grpc-js channel target, and whether
 * calls are spread over them (round_robin) instead of pinned to the first (pick_first).
 */
export interface ServiceTarget {
  target: string;
  balanced: boolean;
}

const IP_PORT = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d+$/;

/**
 * The replicas of a service: `host:port` (one address, or a Kubernetes ClusterIP Service, which
 * balances connections itself); `dns:///name:port`, a headless Service whose every pod address
 * the channel resolves and balances calls over; or comma-separated `ip:port` entries (local
 * replicas without DNS). A list of host names is refused: grpc-js resolves lists only as literal
 * addresses, and a headless Service is the form that follows pods as they come and go.
 */
export const serviceTarget = z.string().transform((value, context): ServiceTarget => {
  const entries = value.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 1 && /^dns:(\/\/[^/]*)?\/[A-Za-z0-9.\-]+:\d+$/.test(entries[0]!)) return { target: entries[0]!, balanced: true };
  if (entries.length === 1 && serviceAddress.safeParse(entries[0]).success) return { target: entries[0]!, balanced: false };
  if (entries.length > 1 && entries.every((entry) => IP_PORT.test(entry))) {
    const scheme = entries.every((entry) => entry.startsWith("[")) ? "ipv6" : entries.some((entry) => entry.startsWith("[")) ? undefined : "ipv4";
    if (scheme) return { target: `${scheme}:${entries.join(",")}`, balanced: true };
  }
  context.addIssue({
    code: "custom",
    message: "must be host:port, dns:///name:port (a headless Service) or a comma-separated list of ip:port of one family",
  });
  return z.NEVER;
});

export const authFields = {
  AUTH_MODE: z.enum(["dev", "jwks"]).default("dev"),
  /** HS256 secret for tokens minted in dev mode; production verifies against the IdP's JWKS. */
  AUTH_DEV_SECRET: z.string().min(16).default("boxoffice-dev-secret-not-for-production"),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().default("boxoffice-dev"),
  AUTH_AUDIENCE: z.string().default("boxoffice"),
};

/**
 * PAGE_TOKEN_SECRET: the HMAC key that makes page tokens this service's own (search, booking).
 * Every replica needs the same one; the default is for a laptop only, like AUTH_DEV_SECRET.
 */
export const pageTokenFields = {
  PAGE_TOKEN_SECRET: z.string().min(32).default(DEV_PAGE_TOKEN_SECRET),
};
