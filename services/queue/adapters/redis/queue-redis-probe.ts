import type { Redis } from "ioredis";
import type { DependencyProbe } from "../../../shared/health/dependency-monitor.js";

/** Critical: without its Redis the queue can neither place nor admit anyone. */
export function queueRedisProbe(redis: Redis): DependencyProbe {
  return {
    name: "queue-redis",
    critical: true,
    async check() {
      await redis.ping();
    },
  };
}
