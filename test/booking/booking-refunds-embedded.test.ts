import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { whereOnSale } from "../support/on-sale-events.js";

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let base: string;

beforeAll(async () => {
  platform = await startTestPlatform(6);
  base = `http://${platform.address("edge")}`;
});

afterAll(async () => {
  await platform?.close();
});

async function tokenFor(userId: string, roles?: string[]): Promise<string> {
  const response = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, roles }) });
  return ((await response.json()) as { token: string }).token;
}

async function call(path: string, token: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, ...(body === null ? {} : { "content-type": "application/json" }) },
    body: body === undefined || body === null ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}
/** An admin's POST: the path names what it acts on, there is no body. */
const adminPost = (path: string, token: string) => call(path, token, null);

const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Test Buyer" };

async function onSaleEvents(): Promise<string[]> {
  return whereOnSale(platform.db("events")).where({ high_demand: false }).orderBy("starts_at").pluck("id");
}

async function buy(token: string, eventId: string, count: number, idempotencyKey: string) {
  const ticketIds: string[] = await platform.db("tickets").where({ event_id: eventId, status: "available" }).orderBy("id").limit(count).pluck("id");
  const confirmed = await call("/booking/confirm", token, { eventId, ticketIds, paymentDetails: card, idempotencyKey });
  expect(confirmed.status).toBe(200);
  return { bookingId: confirmed.body.booking.id as string, ticketIds };
}

/** Refunds the provider's books (PGlite here) hold for one booking's payment. */
async function providerRefundsOf(bookingId: string): Promise<number> {
  const payment = await platform.db("payments").where({ booking_id: bookingId }).first();
  const [row] = await platform.db("simulated_payment_operations").where({ provider_payment_id: payment.provider_payment_id, operation: "refund" }).count({ n: "*" });
  return Number(row!.n);
}

describe("cancellations and refunds through the edge's REST paths on the embedded platform (PGlite)", () => {
  it("an admin refunds one booking: the buyer reads it refunded, the seats are on sale again, a repeat refunds nothing more", async () => {
    const [eventId] = await onSaleEvents();
    const alice = await tokenFor("alice");
    const admin = await tokenFor("ops", ["admin"]);
    const { bookingId, ticketIds } = await buy(alice, eventId!, 2, "embedded-refund-1");

    expect((await adminPost(`/admin/bookings/${bookingId}/refund`, alice)).status).toBe(403);
    const refunded = await adminPost(`/admin/bookings/${bookingId}/refund`, admin);
    expect(refunded.status).toBe(200);
    expect(refunded.body.booking).toMatchObject({ id: bookingId, status: "BOOKING_STATUS_REFUNDED", cancelReason: "CANCEL_REASON_REFUNDED_BY_ORGANISER" });
    expect((await adminPost(`/admin/bookings/${bookingId}/refund`, admin)).body.booking.status).toBe("BOOKING_STATUS_REFUNDED");
    expect(await providerRefundsOf(bookingId)).toBe(1);

    const mine = await call("/bookings", alice);
    expect(mine.body.bookings.find((b: { id: string }) => b.id === bookingId)).toMatchObject({ status: "BOOKING_STATUS_REFUNDED", refundedAt: expect.any(String) });
    const view = await fetch(`${base}/events/${eventId}`).then((r) => r.json() as Promise<any>);
    expect(view.tickets.filter((t: { id: string }) => ticketIds.includes(t.id)).map((t: { status: string }) => t.status)).toEqual(["TICKET_STATUS_AVAILABLE", "TICKET_STATUS_AVAILABLE"]);
  });

  it("an admin cancels an event: its view says cancelled at once, reserve is refused, every booking is refunded once", async () => {
    const [, eventId] = await onSaleEvents();
    const admin = await tokenFor("ops", ["admin"]);
    const bob = await tokenFor("bob");
    const carol = await tokenFor("carol");
    const bookings = [await buy(bob, eventId!, 1, "embedded-cancel-bob"), await buy(carol, eventId!, 2, "embedded-cancel-carol")];
    // A view read before the cancellation is in the catalog's cache.
    expect((await fetch(`${base}/events/${eventId}`).then((r) => r.json() as Promise<any>)).event.status).toBe("EVENT_STATUS_SCHEDULED");

    expect((await adminPost(`/admin/events/${eventId}/cancel`, bob)).status).toBe(403);
    const cancelled = await adminPost(`/admin/events/${eventId}/cancel`, admin);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ eventId, bookingsCancelled: 2, refundsCompleted: 2, refundsPending: 0 });
    expect((await fetch(`${base}/events/${eventId}`).then((r) => r.json() as Promise<any>)).event.status).toBe("EVENT_STATUS_CANCELLED");

    const free: string[] = await platform.db("tickets").where({ event_id: eventId, status: "available" }).limit(1).pluck("id");
    const refused = await call("/booking/reserve", bob, { eventId, ticketIds: free });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ reason: "event_cancelled" });

    expect((await adminPost(`/admin/events/${eventId}/cancel`, admin)).body).toMatchObject({ bookingsCancelled: 2, refundsCompleted: 2, refundsPending: 0 });
    for (const { bookingId } of bookings) expect(await providerRefundsOf(bookingId)).toBe(1);
    const carols = await call(`/bookings/${bookings[1]!.bookingId}`, carol);
    expect(carols.body.booking).toMatchObject({ status: "BOOKING_STATUS_REFUNDED", cancelReason: "CANCEL_REASON_EVENT_CANCELLED" });
  });
});
