import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { codeOf, withBearer } from "./connect-test-clients.js";
import { devToken, startEdgeWithFakes, type EdgeUnderTest } from "./fake-upstream-edge.js";

let edge: EdgeUnderTest;
let webRoot: string;
const ALLOWED_ORIGIN = "https://tickets.example";

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), "edge-web-"));
  await mkdir(join(webRoot, "assets"));
  await writeFile(join(webRoot, "index.html"), "<!doctype html><title>app</title><div id=app></div>");
  await writeFile(join(webRoot, "assets", "index-Ab12Cd34.js"), "console.log('app')");
  edge = await startEdgeWithFakes(
    { search: { searchEvents: () => ({ events: [] }) }, booking: { reserveTickets: () => ({}) } },
    { webRoot, corsOrigins: [ALLOWED_ORIGIN], bodyLimitBytes: 4_096 },
  );
});

afterAll(async () => {
  await edge?.close();
  await rm(webRoot, { recursive: true, force: true });
});

const postJson = async (path: string, body: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${edge.base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string; details?: Record<string, unknown> } } };
};

describe("the edge's answers to bad requests", () => {
  it("answers malformed JSON with 400 in the API's error shape, and keeps serving", async () => {
    const malformed = await postJson("/booking/reserve", "{nope", { authorization: `Bearer ${await devToken("alice")}` });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("InvalidArgument");
    expect((await fetch(`${edge.base}/healthz`)).status).toBe(200);
  });

  it("answers a body over the limit with 413 naming the limit, on REST; RESOURCE_EXHAUSTED on Connect", async () => {
    const token = await devToken("alice");
    const oversized = JSON.stringify({ eventId: "x", ticketIds: ["y".repeat(10_000)] });
    const rest = await postJson("/booking/reserve", oversized, { authorization: `Bearer ${token}` });
    expect(rest.status).toBe(413);
    expect(rest.body.error).toMatchObject({ code: "ResourceExhausted", details: { limitBytes: 4_096 } });

    const booking = createClient(BookingService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1", interceptors: [withBearer(token)] }));
    expect(await codeOf(booking.reserveTickets({ eventId: "x", ticketIds: ["y".repeat(10_000)] }))).toBe(Code.ResourceExhausted);
    expect(edge.callsTo("ReserveTickets")).toHaveLength(0);
    expect((await fetch(`${edge.base}/healthz`)).status).toBe(200);
  });

  it("answers an unknown API path with a JSON 404", async () => {
    const response = await fetch(`${edge.base}/bookings/1/2/3`, { headers: { accept: "application/json" } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NotFound");
  });
});

describe("the web app", () => {
  it("is served at / and at its page paths when a browser opens them", async () => {
    for (const path of ["/", "/event/00000000-0000-4000-8000-000000000001", "/my-bookings"]) {
      const response = await fetch(`${edge.base}${path}`, { headers: { accept: "text/html,application/xhtml+xml" } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("<div id=app>");
    }
  });

  it("lets browsers keep hashed assets for a year but revalidate index.html", async () => {
    expect((await fetch(`${edge.base}/assets/index-Ab12Cd34.js`)).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${edge.base}/`)).headers.get("cache-control")).toBe("no-cache");
  });

  it("is sent with security headers: a script policy of its own origin, no sniffing, no framing by others", async () => {
    const response = await fetch(`${edge.base}/`);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});

describe("CORS", () => {
  const preflight = (origin: string) =>
    fetch(`${edge.base}/boxoffice.search.v1.SearchService/SearchEvents`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,connect-protocol-version" },
    });

  it("grants a configured origin, with the headers Connect clients need to read", async () => {
    const response = await preflight(ALLOWED_ORIGIN);
    expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    const actual = await fetch(`${edge.base}/events/search?term=x`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(actual.headers.get("access-control-expose-headers")).toContain("grpc-status");
  });

  it("grants no other origin", async () => {
    const response = await preflight("https://evil.example");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
