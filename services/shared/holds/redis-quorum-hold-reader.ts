import type { Redis } from "ioredis";
import { readByQuorum } from "./quorum-calls.js";
import { holdKey, type HoldReader } from "./ticket-holds.js";

/**
 * Reads holds as Redlock defines them: a ticket is held when a majority of the independent
 * masters agree on the same holder value. One MGET per node for all tickets, sent in parallel,
 * answered as soon as a majority has decided (a hung node is not waited for). Without a quorum
 * of answering nodes nobody can say who holds what, so it throws HoldsUnavailableError and the
 * caller degrades (the view shows no holds; confirm goes straight to the database).
 */
export function createRedisQuorumHoldReader(nodes: readonly Redis[]): HoldReader {
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
  };
}
