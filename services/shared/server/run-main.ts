import { ConfigError } from "../config/load-config.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { onShutdown } from "./on-shutdown.js";
import { shutdownTracing } from "../tracing/tracing-shutdown.js";

export interface Running {
  /** Drains servers first, then closes adapters (database pools, Redis). */
  close(): Promise<void>;
}

/**
 * The frame of every entry point: a start-up that fails with a readable message (a bad
 * variable is named, not stack-traced), then a drain on SIGTERM.
 */
export function runMain(name: string, start: (logger: Logger) => Promise<Running>): void {
  const logger = createLogger(name);
  const started = performance.now();
  start(logger).then(
    (running) => {
      logger.info({ startupMs: Math.round(performance.now() - started) }, `${name} started`);
      // The last spans (the drain's own calls among them) leave before the process does.
      onShutdown(logger, async () => {
        await running.close();
        await shutdownTracing();
      });
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        logger.fatal(`${name}: ${error.message}`);
        console.error(`${name}: ${error.message}`);
      } else {
        logger.fatal({ err: error }, `${name} failed to start`);
      }
      process.exit(1);
    },
  );
}
