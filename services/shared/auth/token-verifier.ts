import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { Caller } from "./caller.js";

export interface AuthSettings {
  mode: "dev" | "jwks";
  devSecret: string;
  jwksUrl?: string | undefined;
  issuer: string;
  audience: string;
}

export type TokenVerifier = (token: string) => Promise<Caller>;

/**
 * Dev mode checks HS256 tokens minted by the edge's /auth/token; production checks the
 * identity provider's signatures through its JWKS (keys cached and rotated by jose).
 */
export function createTokenVerifier(settings: AuthSettings): TokenVerifier {
  const options = { issuer: settings.issuer, audience: settings.audience };
  const key =
    settings.mode === "jwks"
      ? createRemoteJWKSet(new URL(requiredJwksUrl(settings)))
      : new TextEncoder().encode(settings.devSecret);
  return async (token) => {
    const { payload } =
      key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
    return callerFrom(payload);
  };
}

function requiredJwksUrl(settings: AuthSettings): string {
  if (!settings.jwksUrl) throw new Error("AUTH_JWKS_URL is required when AUTH_MODE=jwks");
  return settings.jwksUrl;
}

function callerFrom(payload: JWTPayload): Caller {
  if (!payload.sub) throw new Error("token has no subject");
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
  return { userId: payload.sub, roles: roles.length > 0 ? roles : ["buyer"] };
}
