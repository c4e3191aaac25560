import { DomainError } from "../../shared/errors/domain-error.js";
import type { SaleEvent } from "./booking-types.js";

/** Why an event sells nothing right now; the web app and other clients branch on these. */
export type SaleClosedReason = "event_cancelled" | "sales_ended" | "not_on_sale_yet";

/**
 * A box office sells from on_sale_at until the event starts, and never for a cancelled event.
 * Pure: the caller passes the time, so the boundaries are testable to the millisecond.
 */
export function checkSaleOpen(event: SaleEvent, now: Date): void {
  if (event.status === "cancelled") {
    throw saleClosed(event, "event_cancelled", `${event.name} was cancelled; no tickets are sold for it.`);
  }
  if (now.getTime() >= event.startsAt.getTime()) {
    throw saleClosed(event, "sales_ended", `${event.name} has already started; tickets are no longer sold.`);
  }
  if (event.onSaleAt && now.getTime() < event.onSaleAt.getTime()) {
    throw saleClosed(event, "not_on_sale_yet", `Tickets for ${event.name} go on sale ${venueTime(event.onSaleAt, event.timeZone)}; come back then.`);
  }
}

function saleClosed(event: SaleEvent, reason: SaleClosedReason, message: string): DomainError {
  return new DomainError("conflict", message, {
    field: "event_id",
    reason,
    eventId: event.id,
    startsAt: event.startsAt.toISOString(),
    ...(event.onSaleAt ? { onSaleAt: event.onSaleAt.toISOString() } : {}),
  });
}

/** "on Thu, 17 Dec 2026 at 10:00 GMT", as people at the venue read it (in UTC if its zone is unknown here). */
function venueTime(instant: Date, timeZone: string): string {
  const format = (options: Intl.DateTimeFormatOptions) => {
    try {
      return new Intl.DateTimeFormat("en-GB", { ...options, timeZone }).format(instant);
    } catch {
      return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(instant);
    }
  };
  const day = format({ weekday: "short", day: "numeric", month: "short", year: "numeric" });
  const time = format({ hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  return `on ${day} at ${time}`;
}
