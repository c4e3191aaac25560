import { toJson } from "@bufbuild/protobuf";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { GetQueuePositionResponseSchema, JoinQueueResponseSchema } from "../../../gen/boxoffice/queue/v1/queue_pb.js";
import type { InternalClients } from "../internal-clients.js";
import { sendError } from "./http-errors.js";
import { upstreamCallOptions } from "./upstream-call-options.js";

type EventRequest = FastifyRequest<{ Params: { eventId: string } }>;

/** A buyer's side of a waiting room over REST, the same QueueService the Connect clients use. */
export function queueRestRoutes(clients: InternalClients, timeoutMs: number) {
  // Every path names its event and nothing else: the call is the RPC on { eventId }, its errors as every REST path answers them.
  const route = (call: (eventId: string, options: ReturnType<typeof upstreamCallOptions>) => Promise<unknown>) => async (request: EventRequest, reply: FastifyReply) => {
    try {
      return await call(request.params.eventId, upstreamCallOptions(request, timeoutMs));
    } catch (error) {
      return sendError(reply, error);
    }
  };

  return async (app: FastifyInstance) => {
    app.post(
      "/queue/:eventId/join",
      route(async (eventId, options) => toJson(JoinQueueResponseSchema, await clients.queue.joinQueue({ eventId }, options), { alwaysEmitImplicit: true })),
    );
    app.get(
      "/queue/:eventId",
      route(async (eventId, options) => toJson(GetQueuePositionResponseSchema, await clients.queue.getQueuePosition({ eventId }, options), { alwaysEmitImplicit: true })),
    );
    app.post(
      "/queue/:eventId/leave",
      route(async (eventId, options) => {
        await clients.queue.leaveQueue({ eventId }, options);
        return { left: true };
      }),
    );
  };
}
