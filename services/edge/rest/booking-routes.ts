import { fromJson, toJson, type DescMessage, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  ConfirmBookingRequestSchema,
  ConfirmBookingResponseSchema,
  GetBookingResponseSchema,
  GetPurchaseAllowanceResponseSchema,
  ListMyBookingsRequestSchema,
  ListMyBookingsResponseSchema,
  ReleaseReservationRequestSchema,
  ReserveTicketsRequestSchema,
  ReserveTicketsResponseSchema,
} from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import type { InternalClients } from "../internal-clients.js";
import { badRequest, sendError } from "./http-errors.js";
import { int32Param, sendQueryError, singleValued } from "./query-values.js";
import { upstreamCallOptions } from "./upstream-call-options.js";

/** The seed's booking paths, over the same BookingService the Connect clients use. */
export function bookingRestRoutes(clients: InternalClients, timeoutMs: number) {
  const options = (request: FastifyRequest, reply?: FastifyReply) => upstreamCallOptions(request, timeoutMs, reply);

  return async (app: FastifyInstance) => {
    app.post("/booking/reserve", async (request, reply) => {
      const parsed = parseBody(ReserveTicketsRequestSchema, withTicketIds(request.body));
      if ("error" in parsed) return badRequest(reply, parsed.error, parsed.field);
      try {
        return toJson(ReserveTicketsResponseSchema, await clients.booking.reserveTickets(parsed.message, options(request, reply)), { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.post("/booking/confirm", async (request, reply) => {
      const parsed = parseBody(ConfirmBookingRequestSchema, withTicketIds(request.body));
      if ("error" in parsed) return badRequest(reply, parsed.error, parsed.field);
      try {
        return toJson(ConfirmBookingResponseSchema, await clients.booking.confirmBooking(parsed.message, options(request, reply)), { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.post("/booking/release", async (request, reply) => {
      const parsed = parseBody(ReleaseReservationRequestSchema, request.body);
      if ("error" in parsed) return badRequest(reply, parsed.error, parsed.field);
      try {
        await clients.booking.releaseReservation(parsed.message, options(request));
        return { released: true };
      } catch (error) {
        return sendError(reply, error);
      }
    });

    app.get<{ Querystring: { pageSize?: string; pageToken?: string } }>("/bookings", async (request, reply) => {
      let pageSize: number | undefined;
      let pageToken: string | undefined;
      try {
        const query = singleValued(request.query);
        pageSize = int32Param(query, "pageSize", ListMyBookingsRequestSchema.field.pageSize);
        pageToken = query.pageToken;
      } catch (error) {
        return sendQueryError(reply, error);
      }
      try {
        const response = await clients.booking.listMyBookings({ pageSize, pageToken: pageToken ?? "" }, options(request));
        return toJson(ListMyBookingsResponseSchema, response, { alwaysEmitImplicit: true });
      } catch (error) {
        return sendError(reply, error);
      }
    });

    // The caller's own figures: never cached by anyone but them.
    app.get<{ Params: { eventId: string } }>("/booking/allowance/:eventId", async (request, reply) => {
      try {
        const response = await clients.booking.getPurchaseAllowance({ eventId: request.params.eventId }, options(request));
        reply.header("cache-control", "private, no-store");
        return toJson(GetPurchaseAllowanceResponseSchema, response, { alwaysEmitImplicit: true });
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
  // Anything but a list in ticketIds is left for the JSON parser to refuse, naming the field.
  if (rest.ticketIds !== undefined && rest.ticketIds !== null && !Array.isArray(rest.ticketIds)) return rest;
  return { ...rest, ticketIds: [ticketId, ...((rest.ticketIds as unknown[] | null) ?? [])] };
}

function parseBody<D extends DescMessage>(schema: D, body: unknown): { message: MessageShape<D> } | { error: string; field?: string } {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { error: "the request body must be a JSON object" };
  try {
    return { message: fromJson(schema, body as JsonValue) };
  } catch (error) {
    return inRequestTerms((error as Error).message);
  }
}

/**
 * protobuf-es names a field that would not decode by its proto path ("cannot decode field
 * boxoffice.booking.v1.ReserveTicketsRequest.ticket_ids from JSON: expected Array, got 5"); the
 * caller wrote ticketIds, so that is the name the answer uses.
 */
function inRequestTerms(message: string): { error: string; field?: string } {
  const match = /^cannot decode field [\w.]*?\.(\w+) from JSON: (.*)$/s.exec(message);
  if (!match) return { error: `malformed request: ${message}` };
  const field = match[1]!.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  return { error: `${field}: ${match[2]}`, field };
}
