import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { card, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

const BUYERS = 200;
const SEATS = 20;

describe.skipIf(!ready)("200 buyers racing for the same 20 seats through the booking service", () => {
  let fixture: BookingFixture;
  const outcomes: Array<{ buyer: string; code: Code | "ok" }> = [];

  beforeAll(async () => {
    fixture = await startBookingFixture();
    const seats = fixture.ticketIds.slice(0, SEATS);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    await Promise.all(
      Array.from({ length: BUYERS }, async (_, index) => {
        const buyer = `buyer-${index}`;
        const count = 1 + Math.floor(random() * 3);
        const wanted = [...new Set(Array.from({ length: count }, () => seats[Math.floor(random() * SEATS)]!))];
        const direct = index % 2 === 0;
        const options = await fixture.as(buyer);
        try {
          if (direct) {
            await fixture.client.confirmBooking(
              { eventId: fixture.eventId, ticketIds: wanted, paymentDetails: card(), idempotencyKey: `${buyer}-order` },
              options,
            );
          } else {
            const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: wanted }, options);
            await fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: `${buyer}-order` }, options);
          }
          outcomes.push({ buyer, code: "ok" });
        } catch (error) {
          outcomes.push({ buyer, code: ConnectError.from(error).code });
        }
      }),
    );
  }, 180_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it("answers every buyer with a booking or a clear refusal, never a server error", () => {
    expect(outcomes).toHaveLength(BUYERS);
    const codes = new Set(outcomes.map((outcome) => outcome.code));
    for (const code of codes) expect(["ok", Code.FailedPrecondition, Code.Aborted]).toContain(code);
    expect(outcomes.filter((outcome) => outcome.code === "ok").length).toBeGreaterThan(0);
  });

  it("books each seat at most once, and every booked seat belongs to exactly one booking", async () => {
    const db = fixture.database.db;
    const seats = fixture.ticketIds.slice(0, SEATS);
    const items = await db("booking_items").whereIn("ticket_id", seats).andWhere({ active: true }).select("ticket_id", "booking_id");
    expect(new Set(items.map((item) => item.ticket_id)).size).toBe(items.length);
    const tickets = await db("tickets").whereIn("id", seats).select("id", "status", "booking_id");
    for (const ticket of tickets) {
      const item = items.find((candidate) => candidate.ticket_id === ticket.id);
      expect(ticket.status === "booked").toBe(item !== undefined);
      if (item) expect(ticket.booking_id).toBe(item.booking_id);
    }
    const bookings = await db("bookings").where({ event_id: fixture.eventId }).select("id");
    expect(bookings.length).toBe(outcomes.filter((outcome) => outcome.code === "ok").length);
  });

  it("charges every winner exactly once and every loser never (ledger and provider agree)", async () => {
    const db = fixture.database.db;
    const bookings = await db("bookings").where({ event_id: fixture.eventId }).select("id", "total_minor");
    const payments = await db("payments").select("id", "status", "booking_id", "amount_minor", "provider_payment_id");
    expect(payments.filter((payment) => ["pending", "authorized"].includes(payment.status))).toEqual([]);
    const captured = payments.filter((payment) => payment.status === "captured");
    expect(captured.map((payment) => payment.booking_id).sort()).toEqual(bookings.map((booking) => booking.id).sort());
    for (const booking of bookings) {
      expect(captured.find((payment) => payment.booking_id === booking.id)?.amount_minor).toBe(booking.total_minor);
    }
    const providerCaptured = (await fixture.provider.payments()).filter((payment) => payment.status === "captured");
    expect(providerCaptured.map((payment) => payment.providerPaymentId).sort()).toEqual(captured.map((payment) => payment.provider_payment_id).sort());
    expect((await fixture.provider.payments()).filter((payment) => payment.status === "authorized")).toEqual([]);
  });
});
