import { fromJson, toJson, type DescMessage, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  ConfirmBookingRequestSchema,
  ConfirmBookingResponseSchema,
  GetBookingResponseSchema,
  ListMyBookingsResponseSchema,
  ReleaseReservationRequestSchema,
  ReserveTicketsRequestSchema,
  ReserveTicketsResponseSchema,
} from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import type { InternalClients } from "../internal-clients.js";
import { badRequest, sendError } from "./http-errors.js";
import { upstreamCallOptions } from "./upstream-call-options.js";

/** The seed's booking paths, over the same BookingService the Connect clients use. */
export function bookingRestRoutes(clients: InternalClients, timeoutMs: number) {
  const options = (request: FastifyRequest) => upstreamCallOptions(request, timeoutMs);

  return async (app: FastifyInstance) => {
    app.post("/booking/reserve", async (request, reply) => {
      const parsed = parseBody(ReserveTicketsRequestSchema, withTicketIds(request.body));
      if ("error" in parsed) return badRequest(reply, parsed.error);
      try {
        return toJson(ReserveTicketsResponseSchema, await clients.booking.reserveTickets(parsed.message, options(request)), { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.post("/booking/confirm", async (request, reply) => {
      const parsed = parseBody(ConfirmBookingRequestSchema, withTicketIds(request.body));
      if ("error" in parsed) return badRequest(reply, parsed.error);
      try {
        return toJson(ConfirmBookingResponseSchema, await clients.booking.confirmBooking(parsed.message, options(request)), { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.post("/booking/release", async (request, reply) => {
      const parsed = parseBody(ReleaseReservationRequestSchema, request.body);
      if ("error" in parsed) return badRequest(reply, parsed.error);
      try {
        await clients.booking.releaseReservation(parsed.message, options(request));
        return { released: true };
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.get<{ Querystring: { pageSize?: string; pageToken?: string } }>("/bookings", async (request, reply) => {
      const pageSize = request.query.pageSize === undefined ? undefined : Number(request.query.pageSize);
      if (pageSize !== undefined && !Number.isInteger(pageSize)) return badRequest(reply, "pageSize must be an integer", "pageSize");
      try {
        const response = await clients.booking.listMyBookings({ pageSize, pageToken: request.query.pageToken ?? "" }, options(request));
        return toJson(ListMyBookingsResponseSchema, response, { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.get<{ Params: { bookingId: string } }>("/bookings/:bookingId", async (request, reply) => {
      try {
        const response = await clients.booking.getBooking({ bookingId: request.params.bookingId }, options(request));
        return toJson(GetBookingResponseSchema, response, { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });
  };
}

/** The seed accepts a single ticketId as well as ticketIds. */
function withTicketIds(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const { ticketId, ...rest } = body as Record<string, unknown>;
  if (ticketId === undefined) return body;
  return { ...rest, ticketIds: [ticketId, ...(((rest.ticketIds as unknown[]) ?? []))] };
}

function parseBody<D extends DescMessage>(schema: D, body: unknown): { message: MessageShape<D> } | { error: string } {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { error: "the request body must be a JSON object" };
  try {
    return { message: fromJson(schema, body as JsonValue) };
  } catch (error) {
    return { error: `malformed request: ${(error as Error).message}` };
  }
}
