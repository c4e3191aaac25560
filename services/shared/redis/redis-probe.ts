import { once } from "node:events";
import type { Redis } from "ioredis";
import type { DependencyProbe } from "../health/dependency-monitor.js";

/** As long as the clients' connectTimeout (redis-clients.ts): a node not up by then counts as down. */
const FIRST_CONNECT_WAIT_MS = 1_000;

/** Up while a quorum of the independent masters answers PING. */
export function redisNodesProbe(nodes: readonly Redis[], critical: boolean): DependencyProbe {
  const quorum = Math.floor(nodes.length / 2) + 1;
  return {
    name: "redis-lock-quorum",
    critical,
    async check() {
      const answers = await Promise.all(nodes.map((node) => pingOnceConnected(node).then(() => 1, () => 0)));
      const up = answers.reduce<number>((sum, one) => sum + one, 0);
      if (up < quorum) throw new Error(`${up} of ${nodes.length} lock nodes answer, quorum is ${quorum}`);
    },
  };
}

/**
 * The clients queue nothing while offline (commands fail fast), so a PING sent while a client is
 * still making its connection fails although the node is up: the first check at start-up would
 * report every node down. A client still connecting is given its connect timeout first.
 */
async function pingOnceConnected(node: Redis): Promise<unknown> {
  if (node.status === "connecting" || node.status === "connect") {
    await once(node, "ready", { signal: AbortSignal.timeout(FIRST_CONNECT_WAIT_MS) }).catch(() => undefined);
  }
  return node.ping();
}
