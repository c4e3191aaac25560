import type { Redis } from "ioredis";
import { quorumOf, readByQuorum, settleByQuorum } from "./quorum-calls.js";
import { eventHoldsKey, holdKey, HoldsUnavailableError, type HoldReader, type UserHold } from "./ticket-holds.js";

/**
 * Reads holds as Redlock defines them: a ticket is held when a majority of the independent
 * masters agree on the same holder value. One command per node, sent in parallel, answered as
 * soon as a majority has decided (a hung node is not waited for). Without a quorum of
 * answering nodes nobody can say who holds what, so it throws HoldsUnavailableError and the
 * caller degrades (the view shows no holds; confirm goes straight to the database).
 */
export function createRedisQuorumHoldReader(nodes: readonly Redis[], now: () => number = Date.now): HoldReader {
  const quorum = quorumOf(nodes.length);
  return {
    async holders(ticketIds) {
      const result = new Map<string, string>();
      if (ticketIds.length === 0) return result;
      const values = await readByQuorum(nodes, ticketIds.map(holdKey));
      ticketIds.forEach((ticketId, index) => {
        const agreed = values[index]?.agreed;
        if (agreed) result.set(ticketId, agreed);
      });
      return result;
    },

    eventHolds(eventId) {
      // HGETALL of the event's index on each node, then the holds a majority agrees on.
      const calls = nodes.map((node) => node.hgetall(eventHoldsKey(eventId)));
      return settleByQuorum(calls, (answers) => {
        const failed = answers.filter((answer) => answer?.ok === false).length;
        if (nodes.length - failed < quorum) throw new HoldsUnavailableError(`${nodes.length - failed} of ${nodes.length} lock nodes answered`);
        const answered = answers.filter((answer) => answer?.ok).map((answer) => (answer as { value: Record<string, string> }).value);
        // Every node that can answer has: a hold on the pending ones could still make a majority.
        if (answered.length < nodes.length - failed) return undefined;
        return agreedHolds(answered, quorum, now());
      });
    },
  };
}

/**
 * The live holds at least `quorum` nodes index under the same token: entries as eventHoldEntry
 * writes them ("<expiry ms> <token>"), or as a buyer's index does, with the record's key after
 * the token (hold-scripts.ts).
 */
export function agreedHolds(indexes: ReadonlyArray<Record<string, string>>, quorum: number, nowMs: number): Map<string, UserHold> {
  const votes = new Map<string, Map<string, { count: number; expiresAtMs: number; recordKey: string | undefined }>>();
  for (const index of indexes) {
    for (const ticketId in index) {
      const entry = index[ticketId]!;
      const space = entry.indexOf(" ");
      const expiresAtMs = Number(entry.slice(0, space));
      if (!(expiresAtMs > nowMs)) continue;
      const second = entry.indexOf(" ", space + 1);
      const token = second < 0 ? entry.slice(space + 1) : entry.slice(space + 1, second);
      const recordKey = second < 0 ? undefined : entry.slice(second + 1) || undefined;
      const forTicket = votes.get(ticketId) ?? new Map<string, { count: number; expiresAtMs: number; recordKey: string | undefined }>();
      votes.set(ticketId, forTicket);
      const vote = forTicket.get(token);
      if (vote) {
        vote.count += 1;
        vote.expiresAtMs = Math.min(vote.expiresAtMs, expiresAtMs);
        vote.recordKey ??= recordKey;
      } else forTicket.set(token, { count: 1, expiresAtMs, recordKey });
    }
  }
  const result = new Map<string, UserHold>();
  for (const [ticketId, byToken] of votes) {
    for (const [token, vote] of byToken) {
      if (vote.count >= quorum) result.set(ticketId, vote.recordKey ? { token, expiresAtMs: vote.expiresAtMs, recordKey: vote.recordKey } : { token, expiresAtMs: vote.expiresAtMs });
    }
  }
  return result;
}

/**
 * agreedHolds once `pending` nodes still to answer cannot change it: undefined while a hold seen
 * by fewer than a quorum could still reach one with them. Unlike an event's index, a buyer's is
 * small and the same on every node that answered, so this answers from a bare majority without
 * waiting for a hung node's timeout.
 */
export function settledHolds(indexes: ReadonlyArray<Record<string, string>>, quorum: number, nowMs: number, pending: number): Map<string, UserHold> | undefined {
  if (pending > 0) {
    const seen = new Map<string, number>();
    for (const index of indexes) {
      for (const ticketId in index) {
        const entry = index[ticketId]!;
        const key = `${ticketId} ${entry.split(" ")[1]}`;
        if (Number(entry.slice(0, entry.indexOf(" "))) > nowMs) seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    for (const count of seen.values()) if (count < quorum && count + pending >= quorum) return undefined;
  }
  return agreedHolds(indexes, quorum, nowMs);
}
