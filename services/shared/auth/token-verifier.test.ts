import { SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDevTokenIssuer } from "./dev-token-issuer.js";
import { createTokenVerifier } from "./token-verifier.js";

const settings = { mode: "dev" as const, devSecret: "verifier-test-secret-0123456789", issuer: "boxoffice-dev", audience: "boxoffice" };
const secret = new TextEncoder().encode(settings.devSecret);

const signed = (claims: { sub: string; expiresIn?: string | null; alg?: string }) => {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: claims.alg ?? "HS256" }).setSubject(claims.sub).setIssuer(settings.issuer).setAudience(settings.audience).setIssuedAt();
  if (claims.expiresIn !== null) jwt.setExpirationTime(claims.expiresIn ?? "1h");
  return jwt.sign(secret);
};

describe("token verification", () => {
  afterEach(() => vi.useRealTimers());

  it("accepts a dev token and names its caller and roles", async () => {
    const verify = createTokenVerifier(settings);
    const token = await createDevTokenIssuer(settings)("alice", ["admin"]);
    expect(await verify(token)).toEqual({ userId: "alice", roles: ["admin"] });
    // Answered again (from memory) with the same caller.
    expect(await verify(token)).toEqual({ userId: "alice", roles: ["admin"] });
  });

  it("refuses a token signed with another key, even after a good one was verified", async () => {
    const verify = createTokenVerifier(settings);
    await verify(await signed({ sub: "alice" }));
    const forged = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("alice").setIssuer(settings.issuer).setAudience(settings.audience).setExpirationTime("1h").sign(new TextEncoder().encode("another-secret-0123456789abcdef"));
    await expect(verify(forged)).rejects.toThrow(/signature/);
  });

  it("refuses a token once it has expired, although it was verified while valid", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const verify = createTokenVerifier(settings);
    const token = await signed({ sub: "alice", expiresIn: "10s" });
    expect((await verify(token)).userId).toBe("alice");
    vi.setSystemTime(Date.now() + 11_000);
    await expect(verify(token)).rejects.toThrow(/exp/);
  });

  it("refuses a token without an expiry, and one valid for more than a day", async () => {
    const verify = createTokenVerifier(settings);
    await expect(verify(await signed({ sub: "alice", expiresIn: null }))).rejects.toThrow(/exp/);
    await expect(verify(await signed({ sub: "alice", expiresIn: "48h" }))).rejects.toThrow(/longer than 24 hours/);
    expect((await verify(await signed({ sub: "alice", expiresIn: "24h" }))).userId).toBe("alice");
  });

  it("refuses a subject that cannot be a user id: control characters or too long", async () => {
    const verify = createTokenVerifier(settings);
    await expect(verify(await signed({ sub: "ali\u0000ce" }))).rejects.toThrow(/control characters/);
    await expect(verify(await signed({ sub: "x".repeat(256) }))).rejects.toThrow(/at most 255/);
    expect((await verify(await signed({ sub: "auth0|65f0c1e2d3" }))).userId).toBe("auth0|65f0c1e2d3");
  });

  it("refuses an algorithm other than HS256 in dev mode", async () => {
    const verify = createTokenVerifier(settings);
    const token = await signed({ sub: "alice", alg: "HS512" });
    await expect(verify(token)).rejects.toThrow(/alg/);
  });
});
