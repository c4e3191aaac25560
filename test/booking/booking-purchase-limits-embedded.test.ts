import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { whereOnSale } from "../support/on-sale-events.js";

/** The purchase limit on the embedded default: PGlite and the in-process lock store, through the edge's REST paths. */
describe("the purchase limit on the embedded platform", () => {
  let platform: Awaited<ReturnType<typeof startTestPlatform>>;
  let base: string;
  let eventId: string;
  let free: string[];
  const seats = (count: number) => free.splice(0, count);

  beforeAll(async () => {
    platform = await startTestPlatform();
    base = `http://${platform.address("edge")}`;
    const [event] = await whereOnSale(platform.db("events")).where({ high_demand: false }).orderBy("starts_at").select("id").limit(1);
    eventId = event.id as string;
    free = (await platform.db("tickets").where({ event_id: eventId, status: "available" }).orderBy("id").limit(60).select("id")).map((t) => t.id as string);
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
    return { status: response.status, body: (await response.json()) as any, cacheControl: response.headers.get("cache-control") };
  }

  const paymentDetails = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Test Buyer" };

  it("20 concurrent reserves of one account hold exactly the limit; the rest are 409 saying why", async () => {
    const token = await tokenFor("embedded-hoarder");
    const answers = await Promise.all(seats(20).map((ticketId) => call("/booking/reserve", token, { eventId, ticketIds: [ticketId] })));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(8);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(new Set(refused.map((answer) => answer.status))).toEqual(new Set([409]));
    expect(refused[0]!.body.error).toMatchObject({
      code: "FailedPrecondition",
      message: "limit 8 tickets per account for this event: you hold 8 and have bought 0; you cannot add more; release a reservation to choose other seats",
      details: { reason: "purchase_limit", limit: 8, held: 8, bought: 0, remaining: 0 },
    });
    const allowance = await call(`/booking/allowance/${eventId}`, token);
    expect(allowance.status).toBe(200);
    expect(allowance.body).toEqual({ eventId, purchaseLimit: 8, held: 8, bought: 0, remaining: 0, holdsKnown: true });
    expect(allowance.cacheControl).toBe("private, no-store");
  });

  it("the allowance needs a signed-in caller and a real event", async () => {
    const anonymous = await fetch(`${base}/booking/allowance/${eventId}`);
    expect(anonymous.status).toBe(401);
    const unknown = await call("/booking/allowance/00000000-0000-4000-8000-000000000000", await tokenFor("embedded-curious"));
    expect(unknown.status).toBe(404);
  });

  it("re-reserving one's own seats answers with the same reservation", async () => {
    const token = await tokenFor("embedded-repeater");
    const pair = seats(2);
    const first = await call("/booking/reserve", token, { eventId, ticketIds: pair });
    const again = await call("/booking/reserve", token, { eventId, ticketIds: pair });
    expect(again.status).toBe(200);
    expect(again.body.reservation).toEqual(first.body.reservation);
  });

  it("confirm counts bought tickets in its transaction, after the limit was lowered under two reservations", async () => {
    const token = await tokenFor("embedded-buyer");
    const one = await call("/booking/reserve", token, { eventId, ticketIds: seats(3) });
    const two = await call("/booking/reserve", token, { eventId, ticketIds: seats(3) });
    await platform.db("events").where({ id: eventId }).update({ purchase_limit: 4 });
    try {
      const outcomes = await Promise.all(
        [one, two].map((held, index) => call("/booking/confirm", token, { reservationId: held.body.reservation.id, paymentDetails, idempotencyKey: `embedded-buyer-${index}` })),
      );
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([200, 409]);
      expect(outcomes.find((outcome) => outcome.status === 409)!.body.error.details).toMatchObject({ reason: "purchase_limit", limit: 4, bought: 3 });
      expect((await call(`/booking/allowance/${eventId}`, token)).body).toMatchObject({ purchaseLimit: 4, bought: 3 });
    } finally {
      await platform.db("events").where({ id: eventId }).update({ purchase_limit: 8 });
    }
  });
});
