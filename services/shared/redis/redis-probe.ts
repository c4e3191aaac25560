import type { Redis } from "ioredis";
import type { DependencyProbe } from "../health/dependency-monitor.js";

/** Up while a quorum of the independent masters answers PING. */
export function redisNodesProbe(nodes: readonly Redis[], critical: boolean): DependencyProbe {
  const quorum = Math.floor(nodes.length / 2) + 1;
  return {
    name: "redis-lock-quorum",
    critical,
    async check() {
      const answers = await Promise.all(nodes.map((node) => node.ping().then(() => 1, () => 0)));
      const up = answers.reduce<number>((sum, one) => sum + one, 0);
      if (up < quorum) throw new Error(`${up} of ${nodes.length} lock nodes answer, quorum is ${quorum}`);
    },
  };
}
