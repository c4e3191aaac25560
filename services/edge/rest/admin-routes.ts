import { toJson } from "@bufbuild/protobuf";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { CancelEventResponseSchema, RefundBookingResponseSchema } from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import type { InternalClients } from "../internal-clients.js";
import { sendError } from "./http-errors.js";
import { upstreamCallOptions } from "./upstream-call-options.js";

/** The admin's cancellations and refunds over REST: the id is in the path, no body is read. */
export function adminRestRoutes(clients: InternalClients, timeoutMs: number) {
  const options = (request: FastifyRequest) => upstreamCallOptions(request, timeoutMs);

  return async (app: FastifyInstance) => {
    app.post<{ Params: { eventId: string } }>("/admin/events/:eventId/cancel", async (request, reply) => {
      try {
        const response = await clients.booking.cancelEvent({ eventId: request.params.eventId }, options(request));
        return toJson(CancelEventResponseSchema, response, { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.post<{ Params: { bookingId: string } }>("/admin/bookings/:bookingId/refund", async (request, reply) => {
      try {
        const response = await clients.booking.refundBooking({ bookingId: request.params.bookingId }, options(request));
        return toJson(RefundBookingResponseSchema, response, { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });
  };
}
