import { LRUCache } from "lru-cache";
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { Caller } from "./caller.js";

export interface AuthSettings {
  mode: "dev" | "jwks";
  devSecret: string;
  jwksUrl?: string | undefined;
  issuer: string;
  audience: string;
}

export type TokenVerifier = (token: string) => Promise<Caller>;

// A buyer sends the same token with every call of an on-sale; checking its signature once is
// enough until it expires. Bounded in count and in time, so a revoked signing key stops
// being honoured within a minute.
const VERIFIED_MAX_ENTRIES = 50_000;
const VERIFIED_MAX_AGE_MS = 60_000;

/**
 * Dev mode checks HS256 tokens minted by the edge's /auth/token; production checks the
 * identity provider's signatures through its JWKS (keys cached and rotated by jose). The HMAC
 * key is imported once (jose would import raw bytes through WebCrypto on every call), and a
 * token already verified is answered from memory until it expires.
 */
export function createTokenVerifier(settings: AuthSettings): TokenVerifier {
  const options = { issuer: settings.issuer, audience: settings.audience };
  const verifySignature = settings.mode === "jwks" ? jwksVerifier(requiredJwksUrl(settings), options) : hmacVerifier(settings.devSecret, options);
  const verified = new LRUCache<string, { caller: Caller; expiresAtMs: number }>({ max: VERIFIED_MAX_ENTRIES });
  return async (token) => {
    const now = Date.now();
    const known = verified.get(token);
    if (known && known.expiresAtMs > now) return known.caller;
    const payload = await verifySignature(token);
    checkLifetime(payload);
    const caller = callerFrom(payload);
    const expiresAtMs = Math.min(payload.exp === undefined ? now : payload.exp * 1000, now + VERIFIED_MAX_AGE_MS);
    if (expiresAtMs > now) verified.set(token, { caller, expiresAtMs });
    return caller;
  };
}

type Options = { issuer: string; audience: string };

/** The longest a token may be valid for: a leaked one stops working within a day. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

// A token without an expiry would be good for ever, and one issued for years nearly so.
function checkLifetime(payload: JWTPayload): void {
  if (payload.exp === undefined || payload.iat === undefined) throw new Error("token must carry exp and iat");
  if (payload.exp - payload.iat > MAX_TOKEN_LIFETIME_SECONDS) throw new Error(`token is valid for longer than ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours`);
}

function hmacVerifier(secret: string, options: Options) {
  const key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  // Awaited by every call; a failure must not also crash the process as an unhandled rejection.
  key.catch(() => undefined);
  return async (token: string) => (await jwtVerify(token, await key, { ...options, algorithms: ["HS256"], requiredClaims: ["exp", "iat"] })).payload;
}

function jwksVerifier(url: string, options: Options) {
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(url));
  return async (token: string) => (await jwtVerify(token, keys, { ...options, requiredClaims: ["exp", "iat"] })).payload;
}

function requiredJwksUrl(settings: AuthSettings): string {
  if (!settings.jwksUrl) throw new Error("AUTH_JWKS_URL is required when AUTH_MODE=jwks");
  return settings.jwksUrl;
}

const MAX_SUBJECT_LENGTH = 255;

function callerFrom(payload: JWTPayload): Caller {
  if (!payload.sub) throw new Error("token has no subject");
  // The subject becomes a user id in rows and keys: identity providers write ids such as
  // "auth0|65f…" or a UUID, never control characters (NUL cannot be stored) or a novel.
  if (payload.sub.length > MAX_SUBJECT_LENGTH || /[\x00-\x1f\x7f-\x9f]/.test(payload.sub)) {
    throw new Error(`token subject must be at most ${MAX_SUBJECT_LENGTH} characters with no control characters`);
  }
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
  return { userId: payload.sub, roles: roles.length > 0 ? roles : ["buyer"] };
}
