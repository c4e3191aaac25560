import type { ConnectRouter } from "@connectrpc/connect";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import type { BookingReader } from "./domain/booking-reader.js";
import { bookingHandlers } from "./handlers.js";

export function bookingRoutes(deps: { bookings: BookingReader }) {
  return (router: ConnectRouter) => router.service(BookingService, bookingHandlers(deps));
}
