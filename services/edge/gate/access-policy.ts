import type { DescService } from "@bufbuild/protobuf";
import { BookingService } from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { QueueService } from "../../../gen/boxoffice/queue/v1/queue_pb.js";

/** What a route asks of its caller: nothing, any verified token, or the admin role. */
export type Access = "public" | "signed-in" | "admin";

const procedure = (service: DescService, method: string) => `/${service.typeName}/${method}`;

// The catalog's reads are public; every other catalog RPC (today the admin create/update calls,
// tomorrow whatever is added) needs the admin role until it is listed here.
const PUBLIC_CATALOG_METHODS = new Set(["GetEvent", "ListEventTickets", "WatchEventTickets", "GetEventLayout", "GetEventAvailability"]);

// Booking's calls act for the signed-in buyer, except its admin cancellations and refunds.
const ADMIN_BOOKING_METHODS = new Set(["CancelEvent", "RefundBooking"]);
// A buyer's own place in a queue; everything else of the queue (open, pause, rate) is the admin's.
const BUYER_QUEUE_METHODS = new Set(["JoinQueue", "GetQueuePosition", "WatchQueuePosition", "LeaveQueue"]);

const rules = new Map<string, Access>([
  ...QueueService.methods.map((method) => [procedure(QueueService, method.name), BUYER_QUEUE_METHODS.has(method.name) ? "signed-in" : "admin"] as const),
  ...BookingService.methods.map((method) => [procedure(BookingService, method.name), ADMIN_BOOKING_METHODS.has(method.name) ? "admin" : "signed-in"] as const),
  ...CatalogService.methods
    .filter((method) => !PUBLIC_CATALOG_METHODS.has(method.name))
    .map((method) => [procedure(CatalogService, method.name), "admin"] as const),
  ["/booking/reserve", "signed-in"],
  ["/booking/confirm", "signed-in"],
  ["/booking/release", "signed-in"],
  ["/booking/allowance/:eventId", "signed-in"],
  ["/bookings", "signed-in"],
  ["/bookings/:bookingId", "signed-in"],
  ["/admin/events/:eventId/cancel", "admin"],
  ["/admin/bookings/:bookingId/refund", "admin"],
  ["/queue/:eventId", "signed-in"],
  ["/queue/:eventId/join", "signed-in"],
  ["/queue/:eventId/leave", "signed-in"],
]);

/**
 * Checked at the door so a refused call never reaches a service; the services check again
 * (requireCaller, requireRole), so this is a first line, not the only one.
 */
export function accessOf(routeUrl: string | undefined): Access {
  return (routeUrl && rules.get(routeUrl)) || "public";
}
