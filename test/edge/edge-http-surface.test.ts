import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { createConnectTransport as createWebConnectTransport } from "@connectrpc/connect-web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
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

  it("answers a body over the limit with 413 naming the limit, on REST and on Connect alike", async () => {
    const token = await devToken("alice");
    const oversized = JSON.stringify({ eventId: "x", ticketIds: ["y".repeat(10_000)] });
    const tooLarge = { code: "ResourceExhausted", message: "the request body is larger than 4096 bytes", details: { limitBytes: 4_096 } };
    const rest = await postJson("/booking/reserve", oversized, { authorization: `Bearer ${token}` });
    expect(rest.status).toBe(413);
    expect(rest.body.error).toEqual(tooLarge);

    const connect = await postJson("/boxoffice.booking.v1.BookingService/ReserveTickets", oversized, { authorization: `Bearer ${token}` });
    expect(connect.status).toBe(413);
    expect(connect.body.error).toEqual(tooLarge);

    // A Connect client reads the code, the sentence and the details, not only the status (the web
    // client, whose fetch declares the length; a streamed body of unknown length meets the plugin's own cap).
    const booking = createClient(BookingService, createWebConnectTransport({ baseUrl: edge.base, interceptors: [withBearer(token)] }));
    const refused = await booking.reserveTickets({ eventId: "x", ticketIds: ["y".repeat(10_000)] }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(refused?.code).toBe(Code.ResourceExhausted);
    expect(refused?.rawMessage).toBe("the request body is larger than 4096 bytes");
    expect(JSON.parse(refused?.metadata.get("boxoffice-error-details") ?? "{}")).toEqual({ limitBytes: 4_096 });
    expect(edge.callsTo("ReserveTickets")).toHaveLength(0);
    expect((await fetch(`${edge.base}/healthz`)).status).toBe(200);
  });

  it("answers a body or GET message that is not the method's protobuf message INVALID_ARGUMENT on Connect and gRPC-Web, not INTERNAL", async () => {
    const searchesBefore = edge.callsTo("SearchEvents").length;
    const path = `${edge.base}/boxoffice.search.v1.SearchService/SearchEvents`;
    const connect = await fetch(path, { method: "POST", headers: { "content-type": "application/proto" }, body: new Uint8Array([0xff, 0xff]) });
    expect(connect.status).toBe(400);
    expect(await connect.json()).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("parse binary") });
    // gRPC-Web: one uncompressed frame of two bytes that are no message; the status rides in the trailer frame.
    const frame = new Uint8Array([0, 0, 0, 0, 2, 0xff, 0xff]);
    const grpcWeb = await fetch(path, { method: "POST", headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" }, body: frame });
    const trailer = Buffer.from(await grpcWeb.arrayBuffer()).toString("latin1");
    expect(grpcWeb.headers.get("grpc-status") ?? /grpc-status: ?(\d+)/.exec(trailer)?.[1]).toBe(String(Code.InvalidArgument));
    // The GET form with a message parameter that is not base64.
    const get = await fetch(`${path}?connect=v1&encoding=proto&base64=1&message=!!!`);
    expect(get.status).toBe(400);
    expect(await get.json()).toMatchObject({ code: "invalid_argument" });
    expect(edge.callsTo("SearchEvents")).toHaveLength(searchesBefore);
  });

  it("refuses a Connect request with a field the contract does not have, naming it, instead of ignoring it", async () => {
    const searchesBefore = edge.callsTo("SearchEvents").length;
    const misspelt = await postJson("/boxoffice.search.v1.SearchService/SearchEvents", JSON.stringify({ termm: "jazz" }));
    expect(misspelt.status).toBe(400);
    expect(misspelt.body).toMatchObject({ code: "invalid_argument", message: expect.stringContaining('key "termm" is unknown') });

    const search = createClient(SearchService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1", useHttpGet: true }));
    const strictGet = await fetch(`${edge.base}/boxoffice.search.v1.SearchService/SearchEvents?connect=v1&encoding=json&message=${encodeURIComponent('{"termm":"jazz"}')}`);
    expect(strictGet.status).toBe(400);
    expect(edge.callsTo("SearchEvents")).toHaveLength(searchesBefore);
    // Known fields still pass, by POST and by GET.
    expect(await codeOf(search.searchEvents({ term: "jazz" }))).toBe("ok");
    expect(edge.callsTo("SearchEvents")).toHaveLength(searchesBefore + 1);
  });

  it("refuses an enum name the contract does not have, naming it, instead of ignoring it", async () => {
    const searchesBefore = edge.callsTo("SearchEvents").length;
    const opera = await postJson("/boxoffice.search.v1.SearchService/SearchEvents", JSON.stringify({ type: "EVENT_TYPE_OPERA" }));
    expect(opera.status).toBe(400);
    // protobuf-es names the enum and the value it cannot read, not the field.
    expect(opera.body).toMatchObject({ code: "invalid_argument", message: 'cannot decode enum boxoffice.common.v1.EventType from JSON: "EVENT_TYPE_OPERA"' });
    expect(edge.callsTo("SearchEvents")).toHaveLength(searchesBefore);
    expect((await postJson("/boxoffice.search.v1.SearchService/SearchEvents", JSON.stringify({ type: "EVENT_TYPE_CONCERT" }))).status).toBe(200);
  });

  it("names a Connect caller's invalid field by its JSON name, with the field in the error's details", async () => {
    const search = createClient(SearchService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1" }));
    const refused = await search.searchEvents({ pageSize: 0 }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(refused?.code).toBe(Code.InvalidArgument);
    expect(refused?.rawMessage).toBe("pageSize: must be greater than or equal to 1 and less than or equal to 100");
    expect(JSON.parse(refused?.metadata.get("boxoffice-error-details") ?? "{}")).toMatchObject({ field: "pageSize" });
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
