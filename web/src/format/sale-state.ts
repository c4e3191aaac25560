import { timestampDate } from "@bufbuild/protobuf/wkt";
import { EventStatus, type Event } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { formatVenueTime } from "./dates.js";

/**
 * Whether the box office sells an event now, as the booking service decides it: from on_sale_at
 * until the event starts, never once cancelled. `changesAt` is when that answer flips next.
 */
export type SaleState = { open: true; changesAt?: Date } | { open: false; message: string; changesAt?: Date };

export function saleStateOf(event: Event, timeZone: string | undefined, now: Date): SaleState {
  if (event.status === EventStatus.CANCELLED) return { open: false, message: "This event is cancelled: no tickets are sold." };
  const startsAt = event.startsAt ? timestampDate(event.startsAt) : undefined;
  if (startsAt && now >= startsAt) return { open: false, message: "This event has already started: tickets are no longer sold." };
  if (event.onSaleAt && now < timestampDate(event.onSaleAt)) {
    return { open: false, message: `Tickets go on sale on ${formatVenueTime(event.onSaleAt, timeZone)}.`, changesAt: timestampDate(event.onSaleAt) };
  }
  return { open: true, changesAt: startsAt };
}
