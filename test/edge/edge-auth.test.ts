import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { authInterceptor } from "../../services/shared/auth/auth-interceptor.js";
import { requireCaller } from "../../services/shared/auth/caller.js";
import { createTokenVerifier, type AuthSettings } from "../../services/shared/auth/token-verifier.js";
import { codeOf, withBearer } from "./connect-test-clients.js";
import { DEV_AUTH, devToken, startEdgeWithFakes, type EdgeUnderTest } from "./fake-upstream-edge.js";

const EVENT_ID = "00000000-0000-4000-8000-000000000001";
let edge: EdgeUnderTest | undefined;

afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

/** A booking service that answers with the user the token it received names. */
const whoAmIBooking = {
  listMyBookings(_request: unknown, context: Parameters<typeof requireCaller>[0]) {
    return { bookings: [{ id: "b-1", userId: requireCaller(context).userId }] };
  },
};

const connectClient = <S extends typeof BookingService | typeof CatalogService>(service: S, token?: string) =>
  createClient(
    service,
    createConnectTransport({
      baseUrl: edge!.base,
      httpVersion: "1.1",
      interceptors: [withBearer(token)],
    }),
  );

describe("authentication at the edge (dev mode)", () => {
  it("refuses booking calls without a token before they reach the service: 401 on REST, UNAUTHENTICATED on Connect", async () => {
    edge = await startEdgeWithFakes({ booking: whoAmIBooking });
    const rest = await fetch(`${edge.base}/bookings`);
    expect(rest.status).toBe(401);
    expect(rest.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await rest.json()) as { error: { code: string } }).error.code).toBe("Unauthenticated");
    expect(await codeOf(connectClient(BookingService).listMyBookings({}))).toBe(Code.Unauthenticated);
    expect(edge.callsTo("ListMyBookings")).toHaveLength(0);
  });

  it("refuses a token signed with another secret, and one that is not a bearer token", async () => {
    edge = await startEdgeWithFakes({ booking: whoAmIBooking });
    const forged = await new SignJWT({ roles: ["admin"] }).setProtectedHeader({ alg: "HS256" }).setSubject("mallory").setIssuer(DEV_AUTH.issuer).setAudience(DEV_AUTH.audience).setExpirationTime("1h").sign(new TextEncoder().encode("not-the-edge-secret-at-all"));
    expect((await fetch(`${edge.base}/bookings`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    expect((await fetch(`${edge.base}/bookings`, { headers: { authorization: "Basic YWxpY2U6c2VjcmV0" } })).status).toBe(401);
    expect(edge.callsTo("ListMyBookings")).toHaveLength(0);
  });

  it("lets a valid token through and the service sees the same user", async () => {
    edge = await startEdgeWithFakes({ booking: whoAmIBooking, interceptors: [authInterceptor(createTokenVerifier(DEV_AUTH))] });
    const response = await connectClient(BookingService, await devToken("alice")).listMyBookings({});
    expect(response.bookings[0]?.userId).toBe("alice");
  });

  it("keeps event reads public and the catalog's admin calls for the admin role", async () => {
    edge = await startEdgeWithFakes({ catalog: { getEvent: () => ({}), createPerformer: () => ({ performer: { id: "p-1", name: "New Act" } }) } });
    const performer = { performer: { name: "New Act" } };
    expect(await codeOf(connectClient(CatalogService).getEvent({ eventId: EVENT_ID }))).toBe("ok");
    expect(await codeOf(connectClient(CatalogService).createPerformer(performer))).toBe(Code.Unauthenticated);
    expect(await codeOf(connectClient(CatalogService, await devToken("bob")).createPerformer(performer))).toBe(Code.PermissionDenied);
    expect(edge.callsTo("CreatePerformer")).toHaveLength(0);
    expect(await codeOf(connectClient(CatalogService, await devToken("ops", ["admin"])).createPerformer(performer))).toBe("ok");
  });

  it("mints dev tokens only for callers on this machine, whatever X-Forwarded-For claims", async () => {
    edge = await startEdgeWithFakes({});
    const signIn = (remoteAddress: string, headers: Record<string, string> = {}) =>
      edge!.edge.app.inject({ method: "POST", url: "/auth/token", remoteAddress, headers: { "content-type": "application/json", ...headers }, payload: { userId: "ops", roles: ["admin"] } });
    const stranger = await signIn("203.0.113.7", { "x-forwarded-for": "127.0.0.1" });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json()).toMatchObject({ error: { code: "PermissionDenied", message: expect.stringMatching(/only for callers on the machine/) } });
    expect((await signIn("127.0.0.1")).statusCode).toBe(200);
    expect((await signIn("::1")).statusCode).toBe(200);
    expect((await signIn("::ffff:127.0.0.1")).statusCode).toBe(200);
  });
});

describe("authentication at the edge (JWKS mode, as against an identity provider)", () => {
  const issuer = "https://idp.test";
  const audience = "boxoffice";
  let jwksServer: Server;
  let jwksUrl: string;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair("RS256")).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "idp-key-1", alg: "RS256", use: "sig" };
    jwksServer = createServer((_request, response) => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => jwksServer?.close(() => resolve()));
  });

  const settings = (): AuthSettings => ({ mode: "jwks", devSecret: "unused-in-jwks-mode-000", jwksUrl, issuer, audience });
  const idpToken = (key: CryptoKey, claims: { sub: string; aud?: string }) =>
    new SignJWT({ roles: ["buyer"] })
      .setProtectedHeader({ alg: "RS256", kid: "idp-key-1" })
      .setSubject(claims.sub)
      .setIssuer(issuer)
      .setAudience(claims.aud ?? audience)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(key);

  async function startJwksEdge() {
    const verifier = createTokenVerifier(settings());
    return startEdgeWithFakes({ booking: whoAmIBooking, interceptors: [authInterceptor(verifier)] }, { verifyToken: verifier, issueDevToken: undefined });
  }

  it("accepts a token the identity provider signed, checked against its JWKS, and the service sees its subject", async () => {
    edge = await startJwksEdge();
    const token = await idpToken(signingKey, { sub: "carol@idp" });
    const rest = await fetch(`${edge.base}/bookings`, { headers: { authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { bookings: Array<{ userId: string }> }).bookings[0]?.userId).toBe("carol@idp");
  });

  it("refuses a token signed by a key the JWKS does not list, and one meant for another audience", async () => {
    edge = await startJwksEdge();
    const stranger = await idpToken(strangerKey, { sub: "mallory" });
    const elsewhere = await idpToken(signingKey, { sub: "carol@idp", aud: "another-app" });
    expect((await fetch(`${edge.base}/bookings`, { headers: { authorization: `Bearer ${stranger}` } })).status).toBe(401);
    expect((await fetch(`${edge.base}/bookings`, { headers: { authorization: `Bearer ${elsewhere}` } })).status).toBe(401);
    expect(edge.callsTo("ListMyBookings")).toHaveLength(0);
  });

  it("offers no dev sign-in: POST /auth/token does not exist", async () => {
    edge = await startJwksEdge();
    const response = await fetch(`${edge.base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "alice" }) });
    expect(response.status).toBe(404);
  });
});
