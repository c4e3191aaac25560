import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let base: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  base = `http://${platform.address("edge")}`;
});

afterAll(async () => {
  await platform?.close();
});

const connectGet = (message: object) =>
  `${base}/boxoffice.search.v1.SearchService/SearchEvents?connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify(message))}`;

describe.each([
  ["GET /events/search", (term: string) => `${base}/events/search?term=${term}&pageSize=5`],
  ["the Connect GET form of SearchEvents", (term: string) => connectGet({ term, pageSize: 5 })],
])("HTTP caching of %s", (_name, url) => {
  it("carries Cache-Control and a strong ETag", async () => {
    const response = await fetch(url("tayl"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=10, stale-while-revalidate=30");
    expect(response.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(((await response.json()) as { events: unknown[] }).events.length).toBeGreaterThan(0);
  });

  it("answers 304 without a body when the client's copy is current, and 200 when it is not", async () => {
    const first = await fetch(url("tayl"));
    const etag = first.headers.get("etag")!;
    const revalidated = await fetch(url("tayl"), { headers: { "if-none-match": etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(revalidated.headers.get("cache-control")).toMatch(/max-age/);
    expect(await revalidated.text()).toBe("");
    const stale = await fetch(url("tayl"), { headers: { "if-none-match": '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it("gives different results different tags", async () => {
    const [a, b] = await Promise.all([fetch(url("tayl")), fetch(url("jazz"))]);
    expect(a.headers.get("etag")).not.toBe(b.headers.get("etag"));
  });
});

describe("the Connect GET form of SearchEvents", () => {
  it("refuses bad input with the Connect error, uncached", async () => {
    const response = await fetch(connectGet({ pageSize: 0 }));
    expect(response.status).toBe(400);
    expect(response.headers.get("etag")).toBeNull();
    expect(((await response.json()) as { code: string; message: string }).message).toMatch(/page_size/);
  });

  it("still serves a Connect client that uses GET", async () => {
    const client = createClient(SearchService, createConnectTransport({ baseUrl: base, httpVersion: "1.1", useHttpGet: true }));
    expect((await client.searchEvents({ term: "tayl" })).backend).toBe("postgres");
  });

  it("leaves POST alone: no validator on a request a cache would not keep", async () => {
    const response = await fetch(`${base}/boxoffice.search.v1.SearchService/SearchEvents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ term: "tayl" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
  });
});
