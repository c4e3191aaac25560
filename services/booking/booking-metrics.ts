import { Counter, Gauge, type Registry } from "prom-client";
import { DomainError } from "../shared/errors/domain-error.js";
import type { Booking, ReserveOutcome } from "./domain/booking-types.js";
import type { ConfirmRequest } from "./domain/confirm-booking.js";

type Reserve = (userId: string, eventId: string, ticketIds: string[], signal?: AbortSignal, admissionToken?: string) => Promise<ReserveOutcome>;
type Confirm = (userId: string, request: ConfirmRequest, signal?: AbortSignal) => Promise<Booking>;

/** How a call that did not succeed ended, in the words an on-call engineer filters by. */
function failureOf(error: unknown): string {
  if (!(error instanceof DomainError)) return "error";
  switch (error.kind) {
    case "conflict":
    case "aborted":
      return "refused"; // a seat taken or held by someone else, an event not on sale
    case "payment_declined":
      return "declined";
    case "unavailable":
      return "unavailable";
    case "deadline_exceeded":
    case "cancelled":
      return "stopped"; // out of time, or the caller gave up: nothing booked, nothing charged
    default:
      return "invalid";
  }
}

/**
 * The booking domain's own metrics beside the per-RPC ones: seats held and refused, sales done
 * in degraded mode, bookings and their failures, refunds, the lock store's state and payment recovery.
 * These are what the dashboard and alerts in deploy/monitoring read.
 */
export function bookingMetrics(registry: Registry) {
  const reserves = new Counter({
    name: "boxoffice_booking_reserves_total",
    help: "ReserveTickets outcomes: held, degraded (lock store down, nothing held), refused, invalid, unavailable, stopped (the caller cancelled), error.",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const heldTickets = new Counter({
    name: "boxoffice_booking_held_tickets_total",
    help: "Tickets held by successful reserves.",
    registers: [registry],
  });
  const confirms = new Counter({
    name: "boxoffice_booking_confirms_total",
    help: "ConfirmBooking outcomes: booked, refused, declined (payment), invalid, unavailable, stopped (deadline passed or caller cancelled), error.",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const lockStoreUp = new Gauge({
    name: "boxoffice_lock_store_available",
    help: "1 while the lock store's circuit breaker lets holds through (a Redlock quorum answers); 0 while open.",
    registers: [registry],
  });
  lockStoreUp.set(1);
  const recoveryRepaired = new Counter({
    name: "boxoffice_payment_recovery_repaired_total",
    help: "Interrupted payments the recovery worker completed, voided or refunded.",
    registers: [registry],
  });
  const recoveryBacklog = new Gauge({
    name: "boxoffice_payment_recovery_backlog",
    help: "Payments past the recovery grace that the last pass found still open, refunds of cancelled bookings included.",
    registers: [registry],
  });
  const captureDeadLetters = new Gauge({
    name: "boxoffice_payment_capture_dead_letters",
    help: "Booked payments whose capture recovery gave up after BOOKING_CAPTURE_MAX_ATTEMPTS (status capture_failed): each needs an operator.",
    registers: [registry],
  });
  const refunds = new Counter({
    name: "boxoffice_booking_refunds_total",
    help: "Payments of cancelled bookings given back: refunded (captured) or voided (never captured).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const recoveryFailures = new Counter({
    name: "boxoffice_payment_recovery_failures_total",
    help: "Recovery passes that failed.",
    registers: [registry],
  });

  return {
    observeReserve(reserve: Reserve): Reserve {
      return async (userId, eventId, ticketIds, signal, admissionToken) => {
        try {
          const outcome = await reserve(userId, eventId, ticketIds, signal, admissionToken);
          reserves.inc({ outcome: outcome.kind });
          if (outcome.kind === "held") heldTickets.inc(ticketIds.length);
          return outcome;
        } catch (error) {
          reserves.inc({ outcome: failureOf(error) });
          throw error;
        }
      };
    },
    observeConfirm(confirm: Confirm): Confirm {
      return async (userId, request, signal) => {
        try {
          const booking = await confirm(userId, request, signal);
          confirms.inc({ outcome: "booked" });
          return booking;
        } catch (error) {
          confirms.inc({ outcome: failureOf(error) });
          throw error;
        }
      };
    },
    lockStoreChanged(state: "open" | "halfOpen" | "close") {
      lockStoreUp.set(state === "open" ? 0 : 1);
    },
    recoveryPassed(repaired: number, backlog: number, deadLetters: number) {
      recoveryRepaired.inc(repaired);
      recoveryBacklog.set(backlog);
      captureDeadLetters.set(deadLetters);
    },
    recoveryFailed() {
      recoveryFailures.inc();
    },
    refundSettled(outcome: "refunded" | "voided") {
      refunds.inc({ outcome });
    },
  };
}

export type BookingMetrics = ReturnType<typeof bookingMetrics>;
