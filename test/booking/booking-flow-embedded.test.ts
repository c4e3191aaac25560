import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { whereOnSale } from "../support/on-sale-events.js";

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let base: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  base = `http://${platform.address("edge")}`;
});

afterAll(async () => {
  await platform?.close();
});

async function tokenFor(userId: string): Promise<string> {
  const response = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId }) });
  return ((await response.json()) as { token: string }).token;
}

async function call(path: string, token: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function freeTickets(count: number) {
  const [event] = await whereOnSale(platform.db("events")).where({ high_demand: false }).orderBy("starts_at").select("id").limit(1);
  const tickets = await platform.db("tickets").where({ event_id: event.id, status: "available" }).orderBy("id").limit(count).select("id");
  return { eventId: event.id as string, ticketIds: tickets.map((t) => t.id as string) };
}

const card = (cardNumber: string) => ({ cardNumber, expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Test Buyer" });

describe("booking through the edge on the embedded platform", () => {
  it("reserve → declined card keeps the hold → another card books → seats show booked", async () => {
    const alice = await tokenFor("alice");
    const bob = await tokenFor("bob");
    const { eventId, ticketIds } = await freeTickets(2);

    const reserved = await call("/booking/reserve", alice, { eventId, ticketIds });
    expect(reserved.status).toBe(200);
    expect(reserved.body.reservation).toMatchObject({ holdStatus: "HOLD_STATUS_HELD", ticketIds });
    const reservationId = reserved.body.reservation.id as string;

    const stolen = await call("/booking/reserve", bob, { eventId, ticketIds: [ticketIds[0]] });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.details).toMatchObject({ reason: "held", ticketIds: [ticketIds[0]] });

    const view = await fetch(`${base}/events/${eventId}`).then((r) => r.json() as Promise<any>);
    const statusOf = (id: string) => view.tickets.find((t: { id: string }) => t.id === id).status;
    expect(statusOf(ticketIds[0]!)).toBe("TICKET_STATUS_RESERVED");

    const declined = await call("/booking/confirm", alice, { reservationId, paymentDetails: card("4000000000000002"), idempotencyKey: "alice-try-1" });
    expect(declined.status).toBe(409);
    expect(declined.body.error.message).toMatch(/declined.*stay held/);
    const poor = await call("/booking/confirm", alice, { reservationId, paymentDetails: card("4000000000009995"), idempotencyKey: "alice-try-2" });
    expect(poor.body.error.message).toMatch(/insufficient funds/);
    const invalidCard = await call("/booking/confirm", alice, { reservationId, paymentDetails: card("1234567890123"), idempotencyKey: "alice-try-3" });
    expect(invalidCard.status).toBe(400);

    const notHers = await call("/booking/confirm", bob, { reservationId, paymentDetails: card("4242424242424242"), idempotencyKey: "bob-try-1" });
    expect(notHers.status).toBe(403);

    const confirmed = await call("/booking/confirm", alice, { reservationId, paymentDetails: card("4242424242424242"), idempotencyKey: "alice-try-4" });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.booking.tickets.map((t: { ticketId: string }) => t.ticketId).sort()).toEqual([...ticketIds].sort());

    const again = await call("/booking/confirm", alice, { reservationId, paymentDetails: card("4242424242424242"), idempotencyKey: "alice-try-4" });
    expect(again.status).toBe(200);
    expect(again.body.booking.id).toBe(confirmed.body.booking.id);

    const after = await fetch(`${base}/events/${eventId}`).then((r) => r.json() as Promise<any>);
    expect(after.tickets.filter((t: { id: string }) => ticketIds.includes(t.id)).map((t: { status: string }) => t.status)).toEqual([
      "TICKET_STATUS_BOOKED",
      "TICKET_STATUS_BOOKED",
    ]);

    const mine = await call("/bookings", alice);
    expect(mine.body.bookings.map((b: { id: string }) => b.id)).toContain(confirmed.body.booking.id);
    expect((await call(`/bookings/${confirmed.body.booking.id}`, bob)).status).toBe(404);
    expect((await call(`/bookings/${confirmed.body.booking.id}`, alice)).status).toBe(200);
  });

  it("release gives the seats back, only to their holder", async () => {
    const alice = await tokenFor("alice");
    const bob = await tokenFor("bob");
    const { eventId, ticketIds } = await freeTickets(1);
    const reserved = await call("/booking/reserve", alice, { eventId, ticketId: ticketIds[0] });
    const reservationId = reserved.body.reservation.id as string;
    expect((await call("/booking/release", bob, { reservationId })).status).toBe(403);
    expect((await call("/booking/release", alice, { reservationId })).status).toBe(200);
    expect((await call("/booking/reserve", bob, { eventId, ticketIds })).status).toBe(200);
  });

  it("refuses orders that are too big, for another event, or for unknown tickets", async () => {
    const alice = await tokenFor("carol");
    const { eventId, ticketIds } = await freeTickets(9);
    const tooMany = await call("/booking/reserve", alice, { eventId, ticketIds });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 8/);
    const [other] = await platform.db("events").whereNot({ id: eventId }).select("id").limit(1);
    expect((await call("/booking/reserve", alice, { eventId: other.id, ticketIds: [ticketIds[0]] })).status).toBe(400);
    expect((await call("/booking/reserve", alice, { eventId, ticketIds: ["00000000-0000-4000-8000-000000000001"] })).status).toBe(404);
    expect((await call("/booking/reserve", alice, { eventId, ticketIds: [ticketIds[0], ticketIds[0]] })).status).toBe(400);
  });

  it("an event not on sale yet answers 409 saying when sales open; an unknown event answers 404 naming event_id", async () => {
    const dan = await tokenFor("dan");
    const upcoming = await platform.db("events").where("on_sale_at", ">", new Date()).orderBy("on_sale_at").first("id", "name", "on_sale_at");
    expect(upcoming, "the demo has events that go on sale later").toBeDefined();
    const [ticket] = await platform.db("tickets").where({ event_id: upcoming.id }).limit(1).pluck("id");
    const early = await call("/booking/reserve", dan, { eventId: upcoming.id, ticketIds: [ticket] });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(new RegExp(`^Tickets for .+ go on sale on `));
    expect(early.body.error.message).toContain(upcoming.name);
    const { ticketIds } = await freeTickets(1);
    const unknown = await call("/booking/reserve", dan, { eventId: "6b0c2a52-0d7e-4f0e-9d55-000000000000", ticketIds });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe("event 6b0c2a52-0d7e-4f0e-9d55-000000000000 does not exist");
  });
});
