import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import type { Booking } from "./booking-types.js";
import { createCancellations } from "./cancellations.js";
import type { RefundJob } from "./refund-job.js";
import type { CancellationStore } from "./refund-ports.js";

const booking = (status: Booking["status"]): Booking => ({
  id: "b1",
  userId: "alice",
  eventId: "e1",
  status,
  tickets: [],
  totalMinor: 5000,
  currency: "EUR",
  createdAt: new Date("2026-12-01T00:00:00Z"),
});

function setup(store: Partial<CancellationStore>, pendingAfterRun = 0) {
  const published: unknown[] = [];
  const forgotten: string[] = [];
  const order: string[] = [];
  const refunds = {
    async run(payments: unknown[]) {
      order.push("refunds");
      return { settled: payments.length - pendingAfterRun, pending: pendingAfterRun };
    },
  } as unknown as RefundJob;
  const cancellations = createCancellations({
    store: { refundingPayments: async () => [], ...store } as CancellationStore,
    refunds,
    publisher: {
      async publish(eventId, changes) {
        published.push({ eventId, changes });
      },
    },
    eventViews: {
      async forget(eventId) {
        order.push("forget");
        forgotten.push(eventId);
      },
    },
  });
  return { cancellations, published, forgotten, order };
}

describe("cancellations", () => {
  it("RefundBooking announces the released seats and says they are on sale again", async () => {
    const { cancellations, published } = setup({
      cancelBooking: async () => ({ booking: booking("cancelled"), releasedTicketIds: ["t1", "t2"] }),
      findBooking: async () => booking("refunded"),
    });
    const { message } = await cancellations.refundBooking("b1");
    expect(published).toEqual([{ eventId: "e1", changes: [{ ticketId: "t1", status: "available" }, { ticketId: "t2", status: "available" }] }]);
    expect(message).toBe("Booking b1 is cancelled and refunded; its 2 seat(s) are on sale again.");
  });

  it("RefundBooking of a booking whose refund is still open says who finishes it", async () => {
    const { cancellations, published } = setup({
      cancelBooking: async () => ({ booking: booking("cancelled"), releasedTicketIds: [] }),
      findBooking: async () => booking("cancelled"),
    });
    expect((await cancellations.refundBooking("b1")).message).toMatch(/refund could not be completed now; the refund worker retries it, or call RefundBooking again/);
    expect(published).toEqual([]);
  });

  it("an unknown booking or event is NOT_FOUND naming the field", async () => {
    const { cancellations } = setup({ cancelBooking: async () => undefined, cancelEvent: async () => false });
    await expect(cancellations.refundBooking("b9")).rejects.toMatchObject({ kind: "not_found", details: { field: "booking_id" } } satisfies Partial<DomainError>);
    await expect(cancellations.cancelEvent("e9")).rejects.toMatchObject({ kind: "not_found", details: { field: "event_id" } } satisfies Partial<DomainError>);
  });

  it("CancelEvent drops the event's cached views before the refunds run, and counts what is left", async () => {
    const { cancellations, forgotten, order } = setup(
      { cancelEvent: async () => true, eventRefunds: async () => ({ bookingsCancelled: 3, refundsCompleted: 2, refundsPending: 1 }) },
      1,
    );
    const outcome = await cancellations.cancelEvent("e1");
    expect(forgotten).toEqual(["e1"]);
    expect(order).toEqual(["forget", "refunds"]);
    expect(outcome).toMatchObject({ eventId: "e1", bookingsCancelled: 3, refundsCompleted: 2, refundsPending: 1 });
    expect(outcome.message).toBe(
      "Event e1 is cancelled and no longer sold. 3 booking(s) cancelled, 2 payment(s) given back. 1 refund(s) could not be completed now; the refund worker retries them, or call CancelEvent again.",
    );
  });
});
