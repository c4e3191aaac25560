import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingStatus, CancelReason } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { card, codeOf, refusalOf, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

const DAY = 86_400_000;

describe.skipIf(!ready)("admin cancellations and refunds (real PostgreSQL, the simulated provider's books, three Redis masters)", () => {
  let fixture: BookingFixture;
  /** Payment ids at which the refund job "crashes": after the provider refunded, before the ledger knows. */
  const crashAfterRefundOf = new Set<string>();
  /** Runs inside a confirm between authorize and the booking transaction, when set. */
  let duringPayment: (() => Promise<void>) | undefined;
  /** Seed events besides the fixture's, put on sale for the tests that cancel them. */
  let spareEvents: string[];

  beforeAll(async () => {
    fixture = await startBookingFixture({
      faults: {
        async afterRefund(paymentId) {
          if (crashAfterRefundOf.delete(paymentId)) throw new Error(`simulated crash after refunding payment ${paymentId}`);
        },
        async afterAuthorize() {
          await duringPayment?.();
        },
      },
    });
    spareEvents = await fixture.database.db("events").whereNot({ id: fixture.eventId }).orderBy("starts_at").pluck("id");
    await fixture.database
      .db("events")
      .whereIn("id", spareEvents)
      .update({ status: "scheduled", high_demand: false, on_sale_at: null, starts_at: new Date(Date.now() + 30 * DAY), ends_at: new Date(Date.now() + 30 * DAY + 3 * 3_600_000) });
  }, 120_000);

  afterAll(async () => {
    await fixture?.close();
  });

  const admin = () => fixture.as("ops", ["admin"]);
  const ticketsOf = (eventId: string, count: number, skip = 0): Promise<string[]> =>
    fixture.database.db("tickets").where({ event_id: eventId, status: "available" }).orderBy("id").offset(skip).limit(count).pluck("id");
  const buy = async (userId: string, eventId: string, ticketIds: string[], idempotencyKey: string) =>
    (await fixture.client.confirmBooking({ eventId, ticketIds, paymentDetails: card(), idempotencyKey }, await fixture.as(userId))).booking!;
  const paymentOf = (bookingId: string) => fixture.database.db("payments").where({ booking_id: bookingId }).first();
  /** The refunds the provider applied to one payment, from its own books. */
  const providerRefunds = async (providerPaymentId: string) =>
    Number((await fixture.database.db("simulated_payment_operations").where({ provider_payment_id: providerPaymentId, operation: "refund" }).count({ n: "*" }))[0]!.n);
  const providerStatus = async (providerPaymentId: string) => (await fixture.database.db("simulated_payments").where({ provider_payment_id: providerPaymentId }).first())?.status;

  it("RefundBooking cancels the booking, refunds its payment once, puts its seats back on sale and tells seat maps; a repeat changes nothing", async () => {
    const seats = await ticketsOf(fixture.eventId, 2);
    const booking = await buy("alice", fixture.eventId, seats, "refund-one-booking");
    const announced: Array<{ ticketId: string; status: string }> = [];
    const unsubscribe = await fixture.bus.subscribe(fixture.eventId, (changes) => void announced.push(...changes));

    const refunded = await fixture.client.refundBooking({ bookingId: booking.id }, await admin());
    await unsubscribe();
    expect(refunded.booking).toMatchObject({ id: booking.id, status: BookingStatus.REFUNDED, cancelReason: CancelReason.REFUNDED_BY_ORGANISER });
    expect(refunded.booking?.refundedAt).toBeDefined();
    expect(refunded.message).toMatch(/cancelled and refunded; its 2 seat\(s\) are on sale again/);
    expect(announced).toEqual(expect.arrayContaining(seats.map((ticketId) => ({ ticketId, status: "available" }))));

    const payment = await paymentOf(booking.id);
    expect(payment).toMatchObject({ status: "refunded", failure_reason: "booking_cancelled" });
    expect(await providerStatus(payment.provider_payment_id)).toBe("refunded");
    expect(await providerRefunds(payment.provider_payment_id)).toBe(1);
    const rows = await fixture.database.db("tickets").whereIn("id", seats).select("status", "booking_id");
    expect(rows).toEqual(seats.map(() => ({ status: "available", booking_id: null })));

    // The buyer reads it in GetBooking and in My bookings.
    const alice = await fixture.as("alice");
    expect((await fixture.client.getBooking({ bookingId: booking.id }, alice)).booking).toMatchObject({ status: BookingStatus.REFUNDED, cancelReason: CancelReason.REFUNDED_BY_ORGANISER });
    const mine = (await fixture.client.listMyBookings({}, alice)).bookings.find((listed) => listed.id === booking.id);
    expect(mine?.status).toBe(BookingStatus.REFUNDED);
    expect(mine?.tickets.map((ticket) => ticket.ticketId).sort()).toEqual([...seats].sort());

    const again = await fixture.client.refundBooking({ bookingId: booking.id }, await admin());
    expect(again.booking?.status).toBe(BookingStatus.REFUNDED);
    expect(again.message).toMatch(/already cancelled and is refunded/);
    expect(await providerRefunds(payment.provider_payment_id)).toBe(1);

    // Another buyer can hold and buy the seats again.
    const bob = await fixture.as("bob");
    const held = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: seats }, bob);
    const rebooked = await fixture.client.confirmBooking({ reservationId: held.reservation!.id, paymentDetails: card(), idempotencyKey: "bob-buys-refunded-seats" }, bob);
    expect(rebooked.booking?.status).toBe(BookingStatus.CONFIRMED);
    expect((await fixture.database.db("tickets").whereIn("id", seats).pluck("booking_id")).every((id) => id === rebooked.booking!.id)).toBe(true);
  });

  it("two admins refunding the same booking at once refund it once", async () => {
    const booking = await buy("carol", fixture.eventId, await ticketsOf(fixture.eventId, 1), "refund-twice-at-once");
    const [first, second] = await Promise.all([fixture.client.refundBooking({ bookingId: booking.id }, await admin()), fixture.client.refundBooking({ bookingId: booking.id }, await admin())]);
    expect([first.booking?.status, second.booking?.status]).toEqual([BookingStatus.REFUNDED, BookingStatus.REFUNDED]);
    const payment = await paymentOf(booking.id);
    expect(await providerRefunds(payment.provider_payment_id)).toBe(1);
  });

  it("only an admin cancels or refunds; unknown ids are NOT_FOUND", async () => {
    const booking = await buy("dave", fixture.eventId, await ticketsOf(fixture.eventId, 1), "not-for-buyers");
    const dave = await fixture.as("dave");
    expect(await refusalOf(fixture.client.refundBooking({ bookingId: booking.id }, dave))).toMatchObject({ code: Code.PermissionDenied, message: 'this call needs the "admin" role' });
    expect(await codeOf(fixture.client.cancelEvent({ eventId: fixture.eventId }, dave))).toBe(Code.PermissionDenied);
    expect(await codeOf(fixture.client.cancelEvent({ eventId: fixture.eventId }))).toBe(Code.Unauthenticated);
    expect((await paymentOf(booking.id)).status).toBe("captured");
    expect((await fixture.database.db("events").where({ id: fixture.eventId }).first()).status).toBe("scheduled");

    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await refusalOf(fixture.client.refundBooking({ bookingId: unknown }, await admin()))).toMatchObject({ code: Code.NotFound, details: { field: "bookingId" } });
    expect(await refusalOf(fixture.client.cancelEvent({ eventId: unknown }, await admin()))).toMatchObject({ code: Code.NotFound, details: { field: "eventId" } });
  });

  it("CancelEvent stops sales and refunds every booking once, through a crash mid-way, a re-run and the worker", async () => {
    const eventId = spareEvents[0]!;
    const seats = await ticketsOf(eventId, 4);
    const bookings = [
      await buy("erin", eventId, seats.slice(0, 2), "cancel-event-erin"),
      await buy("frank", eventId, seats.slice(2, 3), "cancel-event-frank"),
      await buy("grace", eventId, seats.slice(3, 4), "cancel-event-grace"),
    ];
    // The job goes in payment id order: the crashes hit the second payment, then the third.
    const payments = (await fixture.database.db("payments").whereIn("booking_id", bookings.map((b) => b.id)).orderBy("id")) as Array<{ id: string; provider_payment_id: string; booking_id: string }>;
    expect(payments).toHaveLength(3);

    crashAfterRefundOf.add(payments[1]!.id);
    expect(await codeOf(fixture.client.cancelEvent({ eventId }, await admin()))).toBe(Code.Internal);
    const statuses = async () => (await fixture.database.db("payments").whereIn("id", payments.map((p) => p.id)).orderBy("id")).map((p: { status: string }) => p.status);
    // The first is settled; the provider refunded the second but the ledger never learned it; the third waits.
    expect(await statuses()).toEqual(["refunded", "refunding", "refunding"]);
    expect(await providerStatus(payments[1]!.provider_payment_id)).toBe("refunded");
    expect((await fixture.database.db("events").where({ id: eventId }).first()).status).toBe("cancelled");
    const bookingStatus = async (bookingId: string) => (await fixture.database.db("bookings").where({ id: bookingId }).first()).status;
    expect(await Promise.all(payments.map((p) => bookingStatus(p.booking_id)))).toEqual(["refunded", "cancelled", "cancelled"]);

    // Sales stopped with the cancellation, before any refund finished.
    const refusal = await refusalOf(fixture.client.reserveTickets({ eventId, ticketIds: await ticketsOf(eventId, 1) }, await fixture.as("henry")));
    expect(refusal).toMatchObject({ code: Code.FailedPrecondition, details: { reason: "event_cancelled" } });
    expect(refusal.message).toMatch(/was cancelled/);
    const direct = await refusalOf(fixture.client.confirmBooking({ eventId, ticketIds: await ticketsOf(eventId, 1), paymentDetails: card(), idempotencyKey: "henry-after-cancel" }, await fixture.as("henry")));
    expect(direct).toMatchObject({ code: Code.FailedPrecondition, details: { reason: "event_cancelled" } });

    // A re-run crashes again, at the third; the worker finishes it.
    crashAfterRefundOf.add(payments[2]!.id);
    expect(await codeOf(fixture.client.cancelEvent({ eventId }, await admin()))).toBe(Code.Internal);
    expect(await statuses()).toEqual(["refunded", "refunded", "refunding"]);
    expect(await fixture.booking.refunds.runOnce()).toBe(1);
    expect(await statuses()).toEqual(["refunded", "refunded", "refunded"]);

    const final = await fixture.client.cancelEvent({ eventId }, await admin());
    expect(final).toMatchObject({ eventId, bookingsCancelled: 3, refundsCompleted: 3, refundsPending: 0 });
    expect(final.message).toMatch(/is cancelled and no longer sold\. 3 booking\(s\) cancelled, 3 payment\(s\) given back\.$/);
    for (const payment of payments) {
      expect(await providerRefunds(payment.provider_payment_id)).toBe(1);
      expect(await providerStatus(payment.provider_payment_id)).toBe("refunded");
    }
    // The buyers read their bookings cancelled with the event and refunded; the seats are not sold again.
    const erin = (await fixture.client.getBooking({ bookingId: bookings[0]!.id }, await fixture.as("erin"))).booking;
    expect(erin).toMatchObject({ status: BookingStatus.REFUNDED, cancelReason: CancelReason.EVENT_CANCELLED });
    expect(erin?.cancelledAt).toBeDefined();
    expect(await fixture.database.db("tickets").whereIn("id", seats).pluck("status")).toEqual(seats.map(() => "booked"));
  });

  it("a confirm whose event is cancelled while the buyer pays is refused at commit, and the authorization is voided", async () => {
    const eventId = spareEvents[1]!;
    const [seat] = await ticketsOf(eventId, 1);
    const adminCall = await admin();
    duringPayment = async () => {
      duringPayment = undefined;
      await fixture.client.cancelEvent({ eventId }, adminCall);
    };
    const refusal = await refusalOf(fixture.client.confirmBooking({ eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "ivy-pays-during-cancel" }, await fixture.as("ivy")));
    expect(refusal).toMatchObject({ code: Code.FailedPrecondition, details: { reason: "event_cancelled", field: "eventId" } });
    expect(refusal.message).toMatch(/cancelled while you were paying.*not been charged/);
    const row = await fixture.ledgerRow("ivy", "ivy-pays-during-cancel");
    expect(row).toMatchObject({ status: "voided", booking_id: null, failure_reason: "event_cancelled" });
    expect(await providerStatus(row!.provider_payment_id)).toBe("voided");
    expect(Number((await fixture.database.db("bookings").where({ event_id: eventId }).count({ n: "*" }))[0]!.n)).toBe(0);
  });
});
