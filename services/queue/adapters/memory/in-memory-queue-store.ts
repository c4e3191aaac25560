import type { QueueStore } from "../../domain/queue-ports.js";
import type { QueueRecord } from "../../domain/queue-types.js";

interface MemoryQueue {
  record: QueueRecord;
  /** user → score; ordered on read the way Redis orders a sorted set (score, then member). */
  waiting: Map<string, number>;
  /** user → admitted at ms. */
  admitted: Map<string, number>;
}

const byScore = (a: [string, number], b: [string, number]) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * Queues in this process, for the embedded default (one process, nothing to survive but its
 * own life). Each method runs to completion without awaiting, so it is as atomic as the
 * Redis scripts it stands in for.
 */
export function createInMemoryQueueStore(): QueueStore {
  const queues = new Map<string, MemoryQueue>();
  const copy = (record: QueueRecord): QueueRecord => ({ ...record, bucket: { ...record.bucket } });
  const line = (queue: MemoryQueue) => [...queue.waiting].sort(byScore);

  return {
    async open(eventId, settings, nowMs) {
      const existing = queues.get(eventId);
      if (existing) {
        existing.record.ratePerMinute = settings.ratePerMinute;
        return copy(existing.record);
      }
      const record: QueueRecord = { eventId, ...settings, paused: false, soldOut: false, bucket: { tokens: 0, refilledAtMs: nowMs } };
      queues.set(eventId, { record, waiting: new Map(), admitted: new Map() });
      return copy(record);
    },

    async find(eventId) {
      const queue = queues.get(eventId);
      return queue && copy(queue.record);
    },

    async update(eventId, patch) {
      const queue = queues.get(eventId);
      if (!queue) return undefined;
      Object.assign(queue.record, Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)));
      return copy(queue.record);
    },

    async join(eventId, userId, score, nowMs, admissionTtlMs) {
      const queue = queues.get(eventId);
      if (!queue || queue.waiting.has(userId)) return;
      const admittedAt = queue.admitted.get(userId);
      if (admittedAt !== undefined && admittedAt + admissionTtlMs > nowMs) return;
      queue.admitted.delete(userId);
      queue.waiting.set(userId, score);
    },

    async standing(eventId, userId, nowMs) {
      const queue = queues.get(eventId);
      if (!queue) return undefined;
      const score = queue.waiting.get(userId);
      const rank = score === undefined ? null : line(queue).findIndex(([user]) => user === userId);
      const admittedLastMinute = [...queue.admitted.values()].filter((at) => at > nowMs - 60_000 && at <= nowMs).length;
      return {
        queue: copy(queue.record),
        rank,
        score: score ?? null,
        waiting: queue.waiting.size,
        admittedAtMs: queue.admitted.get(userId) ?? null,
        admittedLastMinute,
      };
    },

    async leave(eventId, userId) {
      const queue = queues.get(eventId);
      queue?.waiting.delete(userId);
      queue?.admitted.delete(userId);
    },

    async waitingCount(eventId) {
      return queues.get(eventId)?.waiting.size ?? 0;
    },

    async admittedSince(eventId, sinceMs) {
      return [...(queues.get(eventId)?.admitted.values() ?? [])].filter((at) => at > sinceMs).length;
    },

    async pruneAdmitted(eventId, admittedBeforeMs) {
      const admitted = queues.get(eventId)?.admitted;
      let pruned = 0;
      for (const [user, at] of admitted ?? []) {
        if (at < admittedBeforeMs) {
          admitted!.delete(user);
          pruned += 1;
        }
      }
      return pruned;
    },

    async admit(eventId, expected, plan, nowMs) {
      const queue = queues.get(eventId);
      if (!queue) return null;
      const { bucket } = queue.record;
      if (bucket.tokens !== expected.tokens || bucket.refilledAtMs !== expected.refilledAtMs) return null;
      const admitted = line(queue)
        .slice(0, plan.admit)
        .map(([user]) => user);
      for (const user of admitted) {
        queue.waiting.delete(user);
        queue.admitted.set(user, nowMs);
      }
      queue.record.bucket = { ...plan.bucket };
      queue.record.soldOut = plan.soldOut;
      return admitted;
    },

    async queues() {
      return [...queues.keys()];
    },
  };
}
