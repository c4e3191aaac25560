import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/health/v1/health_pb.js";
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

async function devToken(userId: string): Promise<string> {
  const response = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId }) });
  return ((await response.json()) as { token: string }).token;
}

async function hotEventId(): Promise<string> {
  const [row] = await platform.db("events").where({ high_demand: true }).select("id");
  return row.id as string;
}

describe("the edge's REST paths", () => {
  it("GET /events/search answers from the database with cache headers", async () => {
    const response = await fetch(`${base}/events/search?term=tayl&pageSize=5`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const body = (await response.json()) as { events: Array<{ name: string; performers: string[] }>; backend: string };
    expect(body.backend).toBe("postgres");
    expect(body.events.some((event) => event.performers.some((name) => name.startsWith("Taylor")))).toBe(true);
  });

  it("GET /events/search filters by city and type", async () => {
    const [row] = await platform.db("venues").select("city");
    const response = await fetch(`${base}/events/search?location=${encodeURIComponent(row.city)}&type=concert&pageSize=50`);
    const body = (await response.json()) as { events: Array<{ city: string; type: string }> };
    expect(response.status).toBe(200);
    for (const event of body.events) {
      expect(event.city).toBe(row.city);
      expect(event.type).toBe("EVENT_TYPE_CONCERT");
    }
  });

  it("GET /events/search takes an enum by the full name its answers carry as well as the short one", async () => {
    const byFull = (await (await fetch(`${base}/events/search?type=EVENT_TYPE_CONCERT&sort=SEARCH_SORT_DATE&pageSize=50`)).json()) as { events: Array<{ id: string }> };
    const byShort = (await (await fetch(`${base}/events/search?type=concert&sort=date&pageSize=50`)).json()) as { events: Array<{ id: string }> };
    expect(byFull.events.length).toBeGreaterThan(0);
    expect(byFull.events.map((e) => e.id)).toEqual(byShort.events.map((e) => e.id));
    const unknown = await fetch(`${base}/events/search?type=EVENT_TYPE_UNSPECIFIED`);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { details: { field: "type" }, message: expect.stringContaining("concert, sports") } });
  });

  it("GET /events/search rejects an unknown type and a bad page size with 400 naming the field", async () => {
    const badType = await fetch(`${base}/events/search?type=opera`);
    expect(badType.status).toBe(400);
    expect(await badType.json()).toMatchObject({ error: { code: "InvalidArgument", details: { field: "type" } } });
    const badSize = await fetch(`${base}/events/search?pageSize=1000`);
    expect(badSize.status).toBe(400);
    expect(await badSize.json()).toMatchObject({
      error: { code: "InvalidArgument", message: 'pageSize must be a whole number from 1 to 100, got "1000"', details: { field: "pageSize" } },
    });
  });

  it("GET /events/search names the query parameter the caller used, not the contract's field", async () => {
    const refusal = async (query: string) => {
      const response = await fetch(`${base}/events/search?${query}`);
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: { message: string; details: { field: string } } }).error;
    };
    expect(await refusal("from=2027-03-01&to=2027-02-01")).toMatchObject({ message: "from: must be before to", details: { field: "from" } });
    expect(await refusal(`location=${"x".repeat(101)}`)).toMatchObject({ details: { field: "location" } });
    expect(await refusal("lat=123&lon=0")).toMatchObject({ details: { field: "lat" } });
    expect(await refusal("lat=51.5&lon=0&radiusKm=0")).toMatchObject({ details: { field: "radiusKm" } });
    expect((await refusal("date=2027-02-3")).message).toBe("date: must be a day written YYYY-MM-DD, such as 2026-07-14");
  });

  it("GET /events/search refuses a query parameter it does not know instead of answering unfiltered", async () => {
    const response = await fetch(`${base}/events/search?termm=jazz`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "InvalidArgument", details: { field: "termm" } } });
  });

  it("GET /events/{id} returns event, venue, performers and tickets; never cached", async () => {
    const eventId = await hotEventId();
    const response = await fetch(`${base}/events/${eventId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { event: { id: string }; venue: { name: string }; performers: unknown[]; tickets: unknown[] };
    expect(body.event.id).toBe(eventId);
    expect(body.venue.name).not.toBe("");
    expect(body.performers.length).toBeGreaterThan(0);
    expect(body.tickets.length).toBeGreaterThan(0);
  });

  it("GET /events/{id}/tickets lists every ticket with section, row, seat, price and live status (the seed's form)", async () => {
    const eventId = await hotEventId();
    const response = await fetch(`${base}/events/${eventId}/tickets`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { tickets: Array<{ id: string; eventId: string; section: string; row: string; seat: number; price: { amountMinor: string; currency: string }; status: string }>; holdsUnknown: boolean };
    const count = await platform.db("tickets").where({ event_id: eventId }).count<{ count: string }[]>({ count: "*" });
    expect(body.tickets).toHaveLength(Number(count[0]!.count));
    expect(body.tickets[0]).toMatchObject({ eventId, section: expect.any(String), seat: expect.any(Number), price: { currency: expect.stringMatching(/^[A-Z]{3}$/) }, status: expect.stringMatching(/^TICKET_STATUS_/) });
    expect(body.holdsUnknown).toBe(false);
    expect((await fetch(`${base}/events/00000000-0000-4000-8000-000000000000/tickets`)).status).toBe(404);
  });

  /** The nth available ticket of an event on sale now, so a test is the form's and not the sale window's. */
  async function ticketOnSale(nth: number): Promise<{ id: string; event_id: string }> {
    const [ticket] = await platform
      .db("tickets as t")
      .join("events as e", "e.id", "t.event_id")
      .where({ "t.status": "available", "e.high_demand": false })
      .where("e.starts_at", ">", new Date())
      .where((on) => on.whereNull("e.on_sale_at").orWhere("e.on_sale_at", "<=", new Date()))
      .select("t.id", "t.event_id")
      .offset(nth)
      .limit(1);
    return ticket;
  }

  it("POST /booking/reserve takes the seed's {ticketId} alone: the ticket names its event", async () => {
    const ticket = await ticketOnSale(0);
    const token = await devToken("seed-form");
    const response = await fetch(`${base}/booking/reserve`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ ticketId: ticket.id }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ reservation: { eventId: ticket.event_id, ticketIds: [ticket.id] } });
  });

  it("POST /booking/confirm takes the seed's {ticketId, paymentDetails} without eventId: the ticket names its event", async () => {
    const ticket = await ticketOnSale(1);
    const token = await devToken("seed-form-buyer");
    const response = await fetch(`${base}/booking/confirm`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        ticketId: ticket.id,
        idempotencyKey: "seed-form-confirm-1",
        paymentDetails: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ booking: { eventId: ticket.event_id, status: "BOOKING_STATUS_CONFIRMED" } });
  });

  it("GET /events/{id} answers 404 for an unknown event and 400 for a malformed id", async () => {
    expect((await fetch(`${base}/events/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await fetch(`${base}/events/not-an-id`)).status).toBe(400);
  });

  it("booking paths need a token (401), and a dev token opens them", async () => {
    expect((await fetch(`${base}/bookings`)).status).toBe(401);
    const tokenResponse = await fetch(`${base}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "alice" }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };
    const mine = await fetch(`${base}/bookings`, { headers: { authorization: `Bearer ${token}` } });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual({ bookings: [], nextPageToken: "" });
    const expired = await fetch(`${base}/bookings`, { headers: { authorization: "Bearer abc.def.ghi" } });
    expect(expired.status).toBe(401);
  });

  it("malformed JSON is a 400, an oversized body a 413, and the edge keeps serving", async () => {
    const malformed = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(malformed.status).toBe(400);
    const oversized = await fetch(`${base}/booking/reserve`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ticketIds: ["x".repeat(200_000)] }),
    });
    expect(oversized.status).toBe(413);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("POST /booking/confirm refuses an expired card at the contract: 400 naming paymentDetails, nothing charged or sold", async () => {
    const token = await devToken("expired-card-buyer");
    const [ticket] = await platform.db("tickets").where({ status: "available" }).select("id", "event_id").limit(1);
    const paymentsBefore = await platform.db("payments").count({ n: "*" }).first();
    const response = await fetch(`${base}/booking/confirm`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        eventId: ticket.event_id,
        ticketIds: [ticket.id],
        idempotencyKey: "expired-card-0001",
        paymentDetails: { cardNumber: "4242424242424242", expMonth: 1, expYear: 2020, cvc: "123" },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: "InvalidArgument", message: "paymentDetails: the card has expired", details: { field: "paymentDetails" } },
    });
    expect(await platform.db("payments").count({ n: "*" }).first()).toEqual(paymentsBefore);
    expect((await platform.db("tickets").where({ id: ticket.id }).first()).status).toBe("available");
  });

  it("POST /auth/token refuses a user name it cannot use", async () => {
    const response = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "" }) });
    expect(response.status).toBe(400);
  });
});

describe("the edge's Connect surface", () => {
  it("serves SearchEvents as a cacheable HTTP GET (NO_SIDE_EFFECTS)", async () => {
    const message = encodeURIComponent(JSON.stringify({ term: "tayl" }));
    const response = await fetch(`${base}/boxoffice.search.v1.SearchService/SearchEvents?connect=v1&encoding=json&message=${message}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { events: unknown[] }).events.length).toBeGreaterThan(0);
  });

  it("answers a Connect client using GET and a gRPC-Web client, as browsers use them", async () => {
    const connect = createClient(SearchService, createConnectTransport({ baseUrl: base, httpVersion: "1.1", useHttpGet: true }));
    expect((await connect.searchEvents({ term: "tayl" })).events.length).toBeGreaterThan(0);
    const grpcWeb = createClient(CatalogService, createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1" }));
    const eventId = await hotEventId();
    expect((await grpcWeb.getEvent({ eventId })).event?.id).toBe(eventId);
  });

  it("serves grpc.health.v1 over Connect, SERVING while the services behind it are up", async () => {
    const health = createClient(Health, createConnectTransport({ baseUrl: base, httpVersion: "1.1" }));
    expect((await health.check({ service: "" })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });
});
