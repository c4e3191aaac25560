import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { requireCaller, requireRole } from "../shared/auth/caller.js";
import type { AdmissionSigner } from "./adapters/tokens/admission-signer.js";
import type { Place, QueueRecord } from "./domain/queue-types.js";
import type { WaitingRoom } from "./domain/waiting-room.js";
import { placeMessage, settingsMessage } from "./queue-messages.js";
import type { PlaceWatches } from "./place-watches.js";

export interface QueueHandlerDeps {
  room: WaitingRoom;
  sign: AdmissionSigner;
  watches: PlaceWatches;
}

export const ADMIN_ROLE = "admin";

/** Proto ↔ domain for QueueService; the admission token is signed here, when a place is read as admitted. */
export function queueHandlers({ room, sign, watches }: QueueHandlerDeps): ServiceImpl<typeof QueueService> {
  const answer = async (userId: string, place: Place) => {
    const token = place.kind === "admitted" ? await sign({ userId, eventId: place.queue.eventId, admittedAtMs: place.admittedAtMs, expiresAtMs: place.expiresAtMs }) : "";
    return { place: placeMessage(place, token) };
  };
  const settings = async (queue: QueueRecord) => ({ queue: settingsMessage(queue, await room.waitingCount(queue.eventId)) });
  const admin = (context: HandlerContext) => requireRole(context, ADMIN_ROLE);

  return {
    async joinQueue(request, context) {
      const { userId } = requireCaller(context);
      return answer(userId, await room.join(userId, request.eventId));
    },
    async getQueuePosition(request, context) {
      const { userId } = requireCaller(context);
      return answer(userId, await room.place(userId, request.eventId));
    },
    async *watchQueuePosition(request, context) {
      const { userId } = requireCaller(context);
      for await (const place of watches.watch(userId, request.eventId, context.signal)) yield await answer(userId, place);
    },
    async leaveQueue(request, context) {
      const { userId } = requireCaller(context);
      await room.leave(userId, request.eventId);
      return {};
    },
    async openQueue(request, context) {
      admin(context);
      return settings(await room.open(request.eventId, request.admissionRatePerMinute));
    },
    async pauseQueue(request, context) {
      admin(context);
      return settings(await room.pause(request.eventId));
    },
    async resumeQueue(request, context) {
      admin(context);
      return settings(await room.resume(request.eventId));
    },
    async setAdmissionRate(request, context) {
      admin(context);
      return settings(await room.setRate(request.eventId, request.admissionRatePerMinute));
    },
  };
}
