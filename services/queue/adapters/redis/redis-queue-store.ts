import type { Redis } from "ioredis";
import type { QueueStore } from "../../domain/queue-ports.js";
import type { QueueRecord } from "../../domain/queue-types.js";
import { ADMIT_FROM_QUEUE, JOIN_QUEUE, OPEN_QUEUE, UPDATE_QUEUE } from "./queue-scripts.js";

interface QueueCommands {
  openQueue(meta: string, index: string, eventId: string, rate: string, onSaleAtMs: string, nowMs: string): Promise<string[]>;
  updateQueue(meta: string, ...fieldsAndValues: string[]): Promise<string[] | null>;
  joinQueue(meta: string, waiting: string, admitted: string, userId: string, score: string, nowMs: string, ttlMs: string): Promise<number>;
  admitFromQueue(meta: string, waiting: string, admitted: string, ...args: string[]): Promise<string[] | null>;
}

const QUEUES_INDEX = "queues";
const keys = (eventId: string) => ({ meta: `queue:{${eventId}}:meta`, waiting: `queue:{${eventId}}:waiting`, admitted: `queue:{${eventId}}:admitted` });

/** Sets numbers as JS prints them, so the admit script's compare-and-set sees the very string it stored. */
const text = (value: number) => String(value);

function recordOf(eventId: string, flat: string[] | Record<string, string>): QueueRecord {
  const fields: Record<string, string> = Array.isArray(flat) ? Object.fromEntries(pairs(flat)) : flat;
  return {
    eventId,
    ratePerMinute: Number(fields.ratePerMinute),
    onSaleAtMs: fields.onSaleAtMs ? Number(fields.onSaleAtMs) : null,
    paused: fields.paused === "1",
    soldOut: fields.soldOut === "1",
    bucket: { tokens: Number(fields.tokens), refilledAtMs: Number(fields.refilledAtMs) },
  };
}

function pairs(flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** Queues on their own Redis primary; every state change is one script (queue-scripts.ts). */
export function createRedisQueueStore(redis: Redis): QueueStore {
  redis.defineCommand("openQueue", { numberOfKeys: 2, lua: OPEN_QUEUE });
  redis.defineCommand("updateQueue", { numberOfKeys: 1, lua: UPDATE_QUEUE });
  redis.defineCommand("joinQueue", { numberOfKeys: 3, lua: JOIN_QUEUE });
  redis.defineCommand("admitFromQueue", { numberOfKeys: 3, lua: ADMIT_FROM_QUEUE });
  const commands = redis as unknown as QueueCommands;

  return {
    async open(eventId, settings, nowMs) {
      const flat = await commands.openQueue(keys(eventId).meta, QUEUES_INDEX, eventId, text(settings.ratePerMinute), settings.onSaleAtMs === null ? "" : text(settings.onSaleAtMs), text(nowMs));
      return recordOf(eventId, flat);
    },

    async find(eventId) {
      const fields = await redis.hgetall(keys(eventId).meta);
      return Object.keys(fields).length === 0 ? undefined : recordOf(eventId, fields);
    },

    async update(eventId, patch) {
      const fields: string[] = [];
      if (patch.paused !== undefined) fields.push("paused", patch.paused ? "1" : "0");
      if (patch.ratePerMinute !== undefined) fields.push("ratePerMinute", text(patch.ratePerMinute));
      const flat = await commands.updateQueue(keys(eventId).meta, ...fields);
      return flat ? recordOf(eventId, flat) : undefined;
    },

    async join(eventId, userId, score, nowMs, admissionTtlMs) {
      const key = keys(eventId);
      await commands.joinQueue(key.meta, key.waiting, key.admitted, userId, text(score), text(nowMs), text(admissionTtlMs));
    },

    async standing(eventId, userId, nowMs) {
      const key = keys(eventId);
      // One MULTI: the place, the line's length and the measured rate are of one moment.
      const results = await redis
        .multi()
        .hgetall(key.meta)
        .zrank(key.waiting, userId)
        .zscore(key.waiting, userId)
        .zcard(key.waiting)
        .zscore(key.admitted, userId)
        .zcount(key.admitted, `(${nowMs - 60_000}`, nowMs)
        .exec();
      if (!results) throw new Error("the queue's Redis transaction was aborted");
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
      const [meta, rank, score, waiting, admittedAt, lastMinute] = results.map(([, value]) => value) as [
        Record<string, string>,
        number | null,
        string | null,
        number,
        string | null,
        number,
      ];
      if (Object.keys(meta).length === 0) return undefined;
      return {
        queue: recordOf(eventId, meta),
        rank,
        score: score === null ? null : Number(score),
        waiting,
        admittedAtMs: admittedAt === null ? null : Number(admittedAt),
        admittedLastMinute: lastMinute,
      };
    },

    async leave(eventId, userId) {
      const key = keys(eventId);
      await redis.multi().zrem(key.waiting, userId).zrem(key.admitted, userId).exec();
    },

    waitingCount: (eventId) => redis.zcard(keys(eventId).waiting),
    admittedSince: (eventId, sinceMs) => redis.zcount(keys(eventId).admitted, `(${sinceMs}`, "+inf"),
    pruneAdmitted: (eventId, admittedBeforeMs) => redis.zremrangebyscore(keys(eventId).admitted, "-inf", `(${admittedBeforeMs}`),

    async admit(eventId, expected, plan, nowMs) {
      const key = keys(eventId);
      return commands.admitFromQueue(
        key.meta,
        key.waiting,
        key.admitted,
        text(expected.tokens),
        text(expected.refilledAtMs),
        text(plan.admit),
        text(plan.bucket.tokens),
        text(plan.bucket.refilledAtMs),
        plan.soldOut ? "1" : "0",
        text(nowMs),
      );
    },

    queues: () => redis.smembers(QUEUES_INDEX),
  };
}
