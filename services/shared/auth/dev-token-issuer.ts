import { SignJWT } from "jose";
import type { AuthSettings } from "./token-verifier.js";

/** Mints the tokens of AUTH_MODE=dev: any user name, any roles, valid for a day. */
export function createDevTokenIssuer(settings: AuthSettings) {
  const key = new TextEncoder().encode(settings.devSecret);
  return async (userId: string, roles: readonly string[] = ["buyer"]): Promise<string> =>
    new SignJWT({ roles: [...roles] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt()
      .setExpirationTime("24h")
      .sign(key);
}
