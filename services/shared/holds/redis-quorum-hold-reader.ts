import type { Redis } from "ioredis";
import { holdKey, HoldsUnavailableError, type HoldReader } from "./ticket-holds.js";

/**
 * Reads holds as Redlock defines them: a ticket is held when a majority of the independent
 * masters agree on the same holder value. One MGET per node for all tickets, sent in parallel.
 * Without a quorum of answering nodes nobody can say who holds what, so it throws
 * HoldsUnavailableError and the caller degrades (the view shows no holds; confirm goes
 * straight to the database).
 */
export function createRedisQuorumHoldReader(nodes: readonly Redis[]): HoldReader {
  const quorum = Math.floor(nodes.length / 2) + 1;
  return {
    async holders(ticketIds) {
      const result = new Map<string, string>();
      if (ticketIds.length === 0) return result;
      const keys = ticketIds.map(holdKey);
      const answers = await Promise.all(nodes.map((node) => node.mget(...keys).catch(() => undefined)));
      const answered = answers.filter((answer) => answer !== undefined).length;
      if (answered < quorum) throw new HoldsUnavailableError(`${answered} of ${nodes.length} lock nodes answered`);
      ticketIds.forEach((ticketId, index) => {
        const votes = new Map<string, number>();
        for (const answer of answers) {
          const value = answer?.[index];
          if (value) votes.set(value, (votes.get(value) ?? 0) + 1);
        }
        for (const [value, count] of votes) {
          if (count >= quorum) result.set(ticketId, value);
        }
      });
      return result;
    },
  };
}
