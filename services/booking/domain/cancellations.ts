import { notFound } from "../../shared/errors/domain-error.js";
import type { StatusPublisher } from "./booking-ports.js";
import type { Booking } from "./booking-types.js";
import type { RefundJob } from "./refund-job.js";
import type { CancellationStore, EventViews } from "./refund-ports.js";

export interface CancellationDeps {
  store: CancellationStore;
  refunds: RefundJob;
  publisher: StatusPublisher;
  eventViews?: EventViews;
}

export interface EventCancellation {
  eventId: string;
  bookingsCancelled: number;
  refundsCompleted: number;
  refundsPending: number;
  message: string;
}

/**
 * The admin's RefundBooking and CancelEvent. The cancellation is committed first (with the
 * refunds it owes, as 'refunding' ledger rows), then the refunds run; a repeat finds the
 * cancellation done and runs whatever refunds are still open, so both calls are idempotent and
 * resume an interrupted run.
 */
export function createCancellations(deps: CancellationDeps) {
  return {
    async refundBooking(bookingId: string): Promise<{ booking: Booking; message: string }> {
      const cancelled = await deps.store.cancelBooking(bookingId);
      if (!cancelled) throw notFound(`booking ${bookingId} not found`, { field: "booking_id" });
      const { booking: before, releasedTicketIds } = cancelled;
      if (releasedTicketIds.length > 0) {
        // Seat maps show the seats on sale again; a lost message only delays that until a reload,
        // so a bus that hangs must not hold the refund back.
        void deps.publisher.publish(before.eventId, releasedTicketIds.map((ticketId) => ({ ticketId, status: "available" }))).catch(() => undefined);
      }
      await deps.refunds.run(await deps.store.refundingPayments({ bookingId }));
      const booking = (await deps.store.findBooking(bookingId))!;
      return { booking, message: refundMessage(booking, releasedTicketIds.length) };
    },

    async cancelEvent(eventId: string): Promise<EventCancellation> {
      if (!(await deps.store.cancelEvent(eventId))) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
      await deps.eventViews?.forget(eventId);
      await deps.refunds.run(await deps.store.refundingPayments({ eventId }));
      const counts = await deps.store.eventRefunds(eventId);
      const pending =
        counts.refundsPending > 0
          ? ` ${counts.refundsPending} refund(s) could not be completed now; the refund worker retries them, or call CancelEvent again.`
          : "";
      return {
        eventId,
        ...counts,
        message: `Event ${eventId} is cancelled and no longer sold. ${counts.bookingsCancelled} booking(s) cancelled, ${counts.refundsCompleted} payment(s) given back.${pending}`,
      };
    },
  };
}

function refundMessage(booking: Booking, released: number): string {
  if (booking.status === "refunded") {
    return released > 0
      ? `Booking ${booking.id} is cancelled and refunded; its ${released} seat(s) are on sale again.`
      : `Booking ${booking.id} was already cancelled and is refunded.`;
  }
  return `Booking ${booking.id} is cancelled, but its refund could not be completed now; the refund worker retries it, or call RefundBooking again.`;
}

export type Cancellations = ReturnType<typeof createCancellations>;
