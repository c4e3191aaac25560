import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { codeOf, withBearer } from "./connect-test-clients.js";
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

async function bookingClientFor(userId: string) {
  const response = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId }) });
  const { token } = (await response.json()) as { token: string };
  return createClient(
    BookingService,
    createConnectTransport({ baseUrl: base, httpVersion: "1.1", interceptors: [withBearer(token)] }),
  );
}

describe("bookings through the edge's Connect surface", () => {
  it("another user's booking is invisible: not found by id, absent from their list", async () => {
    const [event] = await platform.db("events").where("starts_at", ">", new Date()).andWhere("high_demand", false).orderBy("starts_at").select("id").limit(1);
    const [ticket] = await platform.db("tickets").where({ event_id: event.id, status: "available" }).select("id").limit(1);
    const alice = await bookingClientFor("privacy-alice");
    const bob = await bookingClientFor("privacy-bob");

    const { reservation } = await alice.reserveTickets({ eventId: event.id, ticketIds: [ticket.id] });
    const { booking } = await alice.confirmBooking({
      reservationId: reservation!.id,
      paymentDetails: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" },
      idempotencyKey: "privacy-alice-1",
    });

    expect((await alice.getBooking({ bookingId: booking!.id })).booking?.id).toBe(booking!.id);
    expect(await codeOf(bob.getBooking({ bookingId: booking!.id }))).toBe(Code.NotFound);
    expect((await bob.listMyBookings({})).bookings.map((b) => b.id)).not.toContain(booking!.id);
    expect((await alice.listMyBookings({})).bookings.map((b) => b.id)).toContain(booking!.id);
  });
});
