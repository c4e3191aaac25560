import { setTimeout as delay } from "node:timers/promises";

/**
 * How a stopping process hands its last spans to the collector. The preload (register.ts) sets
 * the flush when it started the SDK; runMain calls shutdownTracing after draining, before exit,
 * which a process without tracing passes through at once.
 */
let flush: (() => Promise<void>) | undefined;

// Kubernetes kills the pod 30 s after SIGTERM; the preStop pause (5 s) and the drain (up to
// 10 s) come first, so an unreachable collector may not hold the exit longer than this.
const FLUSH_LIMIT_MS = 5_000;

export function setTracingShutdown(shutdown: () => Promise<void>): void {
  flush = shutdown;
}

export async function shutdownTracing(): Promise<void> {
  const pending = flush;
  flush = undefined;
  if (!pending) return;
  await Promise.race([pending().catch(() => {}), delay(FLUSH_LIMIT_MS, undefined, { ref: false })]);
}
