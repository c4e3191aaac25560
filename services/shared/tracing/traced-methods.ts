import { context, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";

const tracer = trace.getTracer("boxoffice");

type AsyncMethodName<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof T] & string;

/**
 * The same object with the named async methods each run inside a span "<component> <method>",
 * so a port's calls (a payment provider's, the lock store's) stand in a trace as one step with
 * the driver's own spans (pg, ioredis) beneath them. Other members are read through to the
 * target. Like the pg and ioredis spans, only within a request: the background loops (live seat
 * maps' hold polls, payment recovery) would otherwise start a trace every second. Without a
 * registered SDK the spans are the API's no-ops.
 */
export function withSpans<T extends object>(target: T, component: string, methods: ReadonlyArray<AsyncMethodName<T>>, attributes: Attributes = {}): T {
  const traced = Object.create(target) as T;
  for (const name of methods) {
    const original = target[name] as (...args: unknown[]) => Promise<unknown>;
    const spanName = `${component} ${name}`;
    const inSpan = (args: unknown[]) =>
      tracer.startActiveSpan(spanName, { attributes }, async (span) => {
        try {
          return await original.apply(target, args);
        } catch (error) {
          if (span.isRecording()) {
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          }
          throw error;
        } finally {
          span.end();
        }
      });
    const wrapped = (...args: unknown[]) => (trace.getSpan(context.active()) === undefined ? original.apply(target, args) : inSpan(args));
    Object.defineProperty(traced, name, { value: wrapped });
  }
  return traced;
}
