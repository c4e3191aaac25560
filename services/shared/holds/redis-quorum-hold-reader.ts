import type { Redis } from "ioredis";
import { holdKey, type HoldReader } from "./ticket-holds.js";

/**
 * Reads holds as Redlock defines them: a ticket is held when a majority of the independent
 * masters agree on the same holder value. One MGET per node for all tickets, sent in parallel.
 * A node that does not answer counts as not holding; with fewer than a quorum reachable nothing
 * counts as held, which is the degraded "available" view DESIGN.md accepts.
 */
export function createRedisQuorumHoldReader(nodes: readonly Redis[]): HoldReader {
  const quorum = Math.floor(nodes.length / 2) + 1;
  return {
    async holders(ticketIds) {
      const result = new Map<string, string>();
      if (ticketIds.length === 0) return result;
      const keys = ticketIds.map(holdKey);
      const answers = await Promise.all(nodes.map((node) => node.mget(...keys).catch(() => undefined)));
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
