import { create } from "@bufbuild/protobuf";
import { PlaceStatus, QueuePlaceSchema, QueueSettingsSchema, QueueState, type QueuePlace } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { timestamp } from "../shared/proto-mapping/common-mapping.js";
import { queueStatus, type Place, type QueueRecord } from "./domain/queue-types.js";

const STATE: Record<ReturnType<typeof queueStatus>, QueueState> = { open: QueueState.OPEN, paused: QueueState.PAUSED, sold_out: QueueState.SOLD_OUT };

const STATUS: Record<Place["kind"], PlaceStatus> = {
  not_in_queue: PlaceStatus.NOT_IN_QUEUE,
  waiting_for_on_sale: PlaceStatus.WAITING_FOR_ON_SALE,
  waiting: PlaceStatus.WAITING,
  admitted: PlaceStatus.ADMITTED,
  admission_expired: PlaceStatus.ADMISSION_EXPIRED,
  sold_out: PlaceStatus.SOLD_OUT,
};

const at = (ms: number | null) => (ms === null ? undefined : timestamp(new Date(ms)));

function sentence(place: Place): string {
  switch (place.kind) {
    case "not_in_queue":
      return place.queue.soldOut ? "This event is sold out." : "You are not in this event's queue: join it to get a place.";
    case "waiting_for_on_sale":
      return "You are in. Everyone who arrives before sales open gets a place drawn at random when they open, so there is no need to refresh.";
    case "waiting":
      return place.queue.paused ? "Admission is paused for a moment; your place is kept." : `You are number ${place.position} in line.`;
    case "admitted":
      return `It is your turn: reserve your tickets before ${new Date(place.expiresAtMs).toISOString()}.`;
    case "admission_expired":
      return "Your turn to buy has run out: join the queue again to get a new place.";
    case "sold_out":
      return "This event is sold out: nobody more is being admitted.";
  }
}

/** The buyer's place; `token` is the signed admission when admitted. */
export function placeMessage(place: Place, token: string): QueuePlace {
  const waiting = place.kind === "waiting" || place.kind === "waiting_for_on_sale";
  return create(QueuePlaceSchema, {
    eventId: place.queue.eventId,
    status: STATUS[place.kind],
    position: BigInt(waiting ? place.position : 0),
    queueLength: BigInt(place.waiting),
    estimatedWaitSeconds: waiting && place.estimatedWaitMs !== null ? BigInt(Math.ceil(place.estimatedWaitMs / 1000)) : undefined,
    queueState: STATE[queueStatus(place.queue)],
    onSaleAt: at(place.queue.onSaleAtMs),
    admissionToken: token,
    admissionExpiresAt: place.kind === "admitted" ? at(place.expiresAtMs) : undefined,
    message: sentence(place),
  });
}

export function settingsMessage(queue: QueueRecord, waiting: number) {
  return create(QueueSettingsSchema, {
    eventId: queue.eventId,
    state: STATE[queueStatus(queue)],
    admissionRatePerMinute: queue.ratePerMinute,
    onSaleAt: at(queue.onSaleAtMs),
    waiting: BigInt(waiting),
  });
}
