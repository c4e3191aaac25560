import { DomainError, notFound } from "../../shared/errors/domain-error.js";
import { placeOf } from "./place-view.js";
import { placementScore } from "./placement.js";
import type { EventFacts, QueueStore } from "./queue-ports.js";
import type { Place, QueueRecord } from "./queue-types.js";

export interface WaitingRoomDeps {
  store: QueueStore;
  events: EventFacts;
  /** How long an admission lets its buyer reserve and confirm. */
  admissionTtlMs: number;
  now: () => number;
  /** Uniform in [0, 1) from a CSPRNG: the draw among early arrivals. */
  random: () => number;
}

export type WaitingRoom = ReturnType<typeof createWaitingRoom>;

const noQueue = (eventId: string) =>
  notFound(`event ${eventId} has no waiting room open: a high-demand event's opens before its sale, any other event sells without one (reserve its tickets directly)`, {
    field: "event_id",
  });

/** The buyer's and the admin's side of the waiting room; admission itself is the worker's. */
export function createWaitingRoom(deps: WaitingRoomDeps) {
  async function place(userId: string, eventId: string): Promise<Place> {
    const nowMs = deps.now();
    const standing = await deps.store.standing(eventId, userId, nowMs);
    if (!standing) throw noQueue(eventId);
    return placeOf(standing, nowMs, deps.admissionTtlMs);
  }

  async function existing(eventId: string): Promise<QueueRecord> {
    const queue = await deps.store.find(eventId);
    if (!queue) throw noQueue(eventId);
    return queue;
  }

  async function patched(eventId: string, patch: { paused?: boolean; ratePerMinute?: number }): Promise<QueueRecord> {
    const queue = await deps.store.update(eventId, patch);
    if (!queue) throw noQueue(eventId);
    return queue;
  }

  return {
    place,

    /** Idempotent: a second join (refresh, reconnect, another tab) answers the same place. */
    async join(userId: string, eventId: string): Promise<Place> {
      const queue = await existing(eventId);
      const nowMs = deps.now();
      await deps.store.join(eventId, userId, placementScore(nowMs, queue.onSaleAtMs, deps.random), nowMs, deps.admissionTtlMs);
      return place(userId, eventId);
    },

    async leave(userId: string, eventId: string): Promise<void> {
      await existing(eventId);
      await deps.store.leave(eventId, userId);
    },

    /** Opens the event's queue with the event's own on-sale time; on an open queue, sets the rate. */
    async open(eventId: string, ratePerMinute: number): Promise<QueueRecord> {
      const event = await deps.events.find(eventId);
      if (!event) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
      if (!event.highDemand) {
        throw new DomainError("conflict", `event ${eventId} is not high-demand, so booking would not ask for admission: mark it high-demand (UpdateEvent) before opening its queue`, {
          field: "event_id",
        });
      }
      return deps.store.open(eventId, { ratePerMinute, onSaleAtMs: event.onSaleAt?.getTime() ?? null }, deps.now());
    },

    pause: (eventId: string) => patched(eventId, { paused: true }),
    resume: (eventId: string) => patched(eventId, { paused: false }),
    setRate: (eventId: string, ratePerMinute: number) => patched(eventId, { ratePerMinute }),
    waitingCount: (eventId: string) => deps.store.waitingCount(eventId),
  };
}
