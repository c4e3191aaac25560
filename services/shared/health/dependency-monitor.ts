import type { Logger } from "../logging/logger.js";
import type { HealthRegistry } from "./health-registry.js";

export interface DependencyProbe {
  name: string;
  /** Resolves when the dependency answers; throws otherwise. */
  check(): Promise<void>;
  /** A process that cannot work without it reports NOT_SERVING while it is down. */
  critical: boolean;
}

export interface DependencyMonitor {
  /** Runs every probe now and updates the registry. */
  checkNow(): Promise<void>;
  stop(): void;
}

/**
 * Probes dependencies on an interval. Unlike an always-SERVING health check, this lets the
 * orchestrator stop routing to a replica whose database is gone.
 */
export function monitorDependencies(
  registry: HealthRegistry,
  probes: readonly DependencyProbe[],
  logger: Logger,
  intervalMs = 5_000,
): DependencyMonitor {
  const down = new Set<string>();
  let stopped = false;

  async function checkNow(): Promise<void> {
    const results = await Promise.all(
      probes.map(async (probe) => {
        try {
          await withTimeout(probe.check(), Math.min(intervalMs, 3_000));
          if (down.delete(probe.name)) logger.info({ dependency: probe.name }, "dependency is back");
          return true;
        } catch (error) {
          if (!down.has(probe.name)) {
            down.add(probe.name);
            logger.warn({ dependency: probe.name, err: error }, "dependency is down");
          }
          return !probe.critical;
        }
      }),
    );
    if (!stopped) registry.setAll(results.every(Boolean) ? "SERVING" : "NOT_SERVING");
  }

  const timer = setInterval(() => void checkNow(), intervalMs);
  timer.unref();
  return {
    checkNow,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
