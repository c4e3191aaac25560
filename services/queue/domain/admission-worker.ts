import { CLAIM_WINDOW_MS, planAdmission } from "./admission-plan.js";
import type { EventFacts, QueueStore } from "./queue-ports.js";

/**
 * How long an expired admission is remembered after its token ran out, so its buyer still reads
 * "your admission expired; join again" (place-view.ts) before it is pruned from the admitted set.
 */
export const EXPIRED_ADMISSION_KEPT_MS = 15 * 60_000;

export interface AdmissionWorkerDeps {
  store: QueueStore;
  events: EventFacts;
  now: () => number;
  /** The admission tokens' lifetime: admissions older than it (and EXPIRED_ADMISSION_KEPT_MS) are pruned. */
  admissionTtlMs: number;
  /** Told after each queue's step, for the metrics. */
  observe?: (eventId: string, step: { admitted: number; waiting: number; soldOut: boolean }) => void;
}

/**
 * Steps every queue once: how many to admit is planned from the rate, the waiting line and the
 * inventory (admission-plan.ts), then taken from the front in one store step; admissions whose
 * tokens expired a while ago are pruned in the same pass. Several workers
 * (replicas) may step the same queue: the store admits only for the first, so the rate holds.
 */
export function createAdmissionWorker(deps: AdmissionWorkerDeps) {
  async function step(eventId: string): Promise<number> {
    const queue = await deps.store.find(eventId);
    if (!queue) return 0;
    // A queue whose event this database does not know (another deployment or test run sharing
    // the queue's Redis, or an event deleted since) is not ours to step: its inventory would read
    // as zero and mark it sold out for whoever does own it.
    if (!(await deps.events.find(eventId))) return 0;
    const nowMs = deps.now();
    const [waiting, inventory, recentlyAdmitted] = await Promise.all([
      deps.store.waitingCount(eventId),
      deps.events.inventory(eventId),
      deps.store.admittedSince(eventId, nowMs - CLAIM_WINDOW_MS),
    ]);
    const plan = planAdmission(queue, waiting, inventory, nowMs, recentlyAdmitted);
    const admitted = (await deps.store.admit(eventId, queue.bucket, plan, nowMs)) ?? [];
    // Without this the admitted set of a long on-sale only grows: every buyer ever admitted.
    await deps.store.pruneAdmitted(eventId, nowMs - deps.admissionTtlMs - EXPIRED_ADMISSION_KEPT_MS);
    deps.observe?.(eventId, { admitted: admitted.length, waiting: waiting - admitted.length, soldOut: plan.soldOut });
    return admitted.length;
  }

  return {
    step,
    /** One pass over every queue; answers how many were admitted in all. */
    async stepAll(): Promise<number> {
      let admitted = 0;
      for (const eventId of await deps.store.queues()) admitted += await step(eventId);
      return admitted;
    },
  };
}
