import type { ConnectRouter } from "@connectrpc/connect";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { bookingHandlers, type BookingHandlerDeps } from "./handlers.js";

export function bookingRoutes(deps: BookingHandlerDeps) {
  return (router: ConnectRouter) => router.service(BookingService, bookingHandlers(deps));
}
