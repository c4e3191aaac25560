import type { AuthSettings } from "./token-verifier.js";

/** From the AUTH_* fields every process's config shares. */
export function authSettings(config: {
  AUTH_MODE: "dev" | "jwks";
  AUTH_DEV_SECRET: string;
  AUTH_JWKS_URL?: string | undefined;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
}): AuthSettings {
  return {
    mode: config.AUTH_MODE,
    devSecret: config.AUTH_DEV_SECRET,
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
  };
}
