import type { ServiceImpl } from "@connectrpc/connect";
import type { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { requireRole } from "../shared/auth/caller.js";
import { bookingMessage } from "./booking-messages.js";
import type { Cancellations } from "./domain/cancellations.js";

/** The role the admin RPCs need, as for the catalog's. */
const ADMIN_ROLE = "admin";

/** BookingService's admin RPCs: cancellations and refunds. */
export function bookingAdminHandlers(cancellations: Cancellations): Pick<ServiceImpl<typeof BookingService>, "cancelEvent" | "refundBooking"> {
  return {
    async cancelEvent(request, context) {
      requireRole(context, ADMIN_ROLE);
      return cancellations.cancelEvent(request.eventId);
    },
    async refundBooking(request, context) {
      requireRole(context, ADMIN_ROLE);
      const { booking, message } = await cancellations.refundBooking(request.bookingId);
      return { booking: bookingMessage(booking), message };
    },
  };
}
