import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { addZonedShow } from "../support/zoned-show.js";

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let base: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  base = `http://${platform.address("edge")}`;
});

afterAll(async () => {
  await platform?.close();
});

const get = async (query: string) => {
  const response = await fetch(`${base}/events/search?${query}`);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

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
    expect(((await response.json()) as { code: string; message: string }).message).toMatch(/pageSize/);
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

describe("GET /events/search", () => {
  it("finds events near a point, nearest first, with their distance", async () => {
    const [venue] = await platform.db("venues").select("latitude", "longitude", "city");
    const { status, body } = await get(`lat=${venue.latitude}&lon=${venue.longitude}&radiusKm=10&sort=distance&pageSize=50`);
    expect(status).toBe(200);
    expect(body.events.length).toBeGreaterThan(0);
    const distances = body.events.map((event: { distanceKm: number }) => event.distanceKm);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(Math.max(...distances)).toBeLessThanOrEqual(10);
    expect(new Set(body.events.map((event: { city: string }) => event.city))).toEqual(new Set([venue.city]));
  });

  it("lists a day's events by their venue's clock, each with its venue's time zone", async () => {
    // 7 pm in Chicago on 5 December: 6 December in UTC.
    const year = new Date().getUTCFullYear() + 1;
    const show = await addZonedShow(platform.db, "Zoned Night Game", "America/Chicago", `${year}-12-05T19:00:00-06:00`);
    const { status, body } = await get(`term=zoned&date=${year}-12-05`);
    expect(status).toBe(200);
    expect(body.events).toEqual([expect.objectContaining({ id: show.id, startsAt: `${year}-12-06T01:00:00Z`, venueTimezone: "America/Chicago" })]);
    expect((await get(`term=zoned&date=${year}-12-06`)).body.events).toEqual([]);

    const event = await fetch(`${base}/events/${show.id}`).then((response) => response.json() as Promise<Record<string, any>>);
    expect(event.venue.timezone).toBe("America/Chicago");
  });

  it.each([
    ["a radius of zero", "lat=51.5&lon=0&radiusKm=0", /radiusKm/],
    ["only half a point", "lat=51.5", /lon/],
    ["a from after its to", "from=2027-03-01&to=2027-02-01", /from: must be before to/],
    ["a day that does not exist", "date=2027-02-30", /date/],
    ["a page size of zero", "pageSize=0", /pageSize/],
  ])("refuses %s with 400 naming the field", async (_case, query, field) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe("InvalidArgument");
    expect(`${body.error.message} ${JSON.stringify(body.error.details ?? {})}`).toMatch(field);
  });
});
