import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, grpcJs } from "../support/grpc-js-clients.js";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const clients: Array<{ close(): void }> = [];
const client = <C extends { close(): void }>(made: C) => (clients.push(made), made);

beforeAll(async () => {
  platform = await startTestPlatform();
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await platform?.close();
});

async function someEventId(): Promise<string> {
  const [row] = await platform.db("events").where({ high_demand: true }).select("id");
  return row.id as string;
}

async function devToken(userId: string): Promise<string> {
  const response = await fetch(`http://${platform.address("edge")}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId }),
  });
  return ((await response.json()) as { token: string }).token;
}

describe("the embedded platform answers a plain gRPC client (@grpc/grpc-js)", () => {
  it.each([
    ["catalog", "boxoffice.catalog.v1.CatalogService"],
    ["search", "boxoffice.search.v1.SearchService"],
    ["booking", "boxoffice.booking.v1.BookingService"],
  ])("%s reports SERVING for the process and for %s", async (name, serviceName) => {
    const health = client(grpcJs.health(platform.address(name)));
    expect(await health.check({ service: "" })).toEqual({ status: "SERVING" });
    expect(await health.check({ service: serviceName })).toEqual({ status: "SERVING" });
    await expect(health.check({ service: "no.such.Service" })).rejects.toMatchObject({ code: 5 });
  });

  it("catalog GetEvent returns the event with its venue, performers and every ticket from the database", async () => {
    const eventId = await someEventId();
    const catalog = client(grpcJs.catalog(platform.address("catalog")));
    const response = await catalog.getEvent({ event_id: eventId });
    const ticketCount = await platform.db("tickets").where({ event_id: eventId }).count<{ count: number }[]>({ count: "*" });
    expect(response.event.id).toBe(eventId);
    expect(response.venue.id).toBe(response.event.venue_id);
    expect(response.performers.length).toBeGreaterThan(0);
    expect(response.tickets).toHaveLength(Number(ticketCount[0]!.count));
    expect(new Set(response.tickets.map((t: { status: string }) => t.status))).toEqual(new Set(["TICKET_STATUS_AVAILABLE"]));
    const summed = response.sections.reduce((sum: number, s: { available: number }) => sum + s.available, 0);
    expect(summed).toBe(response.tickets.length);
  });

  it("catalog GetEvent rejects a malformed id with INVALID_ARGUMENT and an unknown one with NOT_FOUND", async () => {
    const catalog = client(grpcJs.catalog(platform.address("catalog")));
    await expect(catalog.getEvent({ event_id: "42" })).rejects.toMatchObject({ code: 3 });
    await expect(catalog.getEvent({ event_id: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      code: 5,
      details: expect.stringContaining("does not exist"),
    });
  });

  it("search SearchEvents finds an event by a performer-name prefix", async () => {
    const search = client(grpcJs.search(platform.address("search")));
    const response = await search.searchEvents({ term: "tayl" });
    expect(response.backend).toBe("postgres");
    expect(response.events.length).toBeGreaterThan(0);
    expect(response.events[0].performers.join(" ")).toMatch(/Taylor/);
  });

  it("booking ListMyBookings needs a token and then answers for the caller", async () => {
    const booking = client(grpcJs.booking(platform.address("booking")));
    await expect(booking.listMyBookings({})).rejects.toMatchObject({ code: 16 });
    await expect(booking.listMyBookings({}, bearer("not-a-jwt"))).rejects.toMatchObject({ code: 16 });
    const response = await booking.listMyBookings({}, bearer(await devToken("alice")));
    expect(response.bookings).toEqual([]);
  });
});

describe("the embedded platform's operator endpoints", () => {
  it("serve /metrics on the admin port on loopback, never on the public edge port", async () => {
    const edge = `http://${platform.address("edge")}`;
    await fetch(`${edge}/boxoffice.search.v1.SearchService/SearchEvents`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"term":"jazz"}' });
    const scrape = await fetch(`http://127.0.0.1:${platform.adminPort}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toMatch(/^boxoffice_rpc_started_total\{.*SearchEvents/m);
    expect((await fetch(`http://127.0.0.1:${platform.adminPort}/readyz`)).status).toBe(200);
    const publicScrape = await fetch(`${edge}/metrics`);
    expect(publicScrape.status).toBe(404);
    expect(await publicScrape.text()).not.toMatch(/# HELP/);
  });
});
