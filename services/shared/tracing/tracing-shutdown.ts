/**
 * How a stopping process hands its last spans to the collector. The preload (register.ts) sets
 * the flush when it started the SDK; runMain calls shutdownTracing after draining, before exit,
 * which a process without tracing passes through at once.
 */
let flush: (() => Promise<void>) | undefined;

export function setTracingShutdown(shutdown: () => Promise<void>): void {
  flush = shutdown;
}

export async function shutdownTracing(): Promise<void> {
  const pending = flush;
  flush = undefined;
  await pending?.();
}
