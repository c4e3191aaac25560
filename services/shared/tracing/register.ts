import { isMainThread } from "node:worker_threads";
import { tracingEnabled, tracingSchema } from "./tracing-fields.js";

/**
 * Preloaded before an entry point (`node --import ./dist/services/shared/tracing/register.js
 * dist/services/<name>/main.js`; the image sets it in NODE_OPTIONS): instrumentations patch pg,
 * ioredis and http as they load, so they must be hooked before the app's first import.
 *
 * Without an endpoint for the chosen exporter (OTEL_EXPORTER_OTLP_ENDPOINT, or
 * OTEL_EXPORTER_ZIPKIN_ENDPOINT with OTEL_TRACES_EXPORTER=zipkin) nothing is loaded or hooked,
 * and the API calls in the code stay the no-ops of @opentelemetry/api. A bad OTEL_* value does not stop here: the process's
 * own typed config, which includes the same fields, stops it with the variable named.
 */
if (isMainThread) {
  const parsed = tracingSchema.safeParse(process.env);
  if (parsed.success && tracingEnabled(parsed.data)) {
    const { startTracing } = await import("./tracing-sdk.js");
    await startTracing(parsed.data, processName(process.argv[1]));
  }
}

/** services/<name>/… of the entry point, the name its logs and metrics go by. */
function processName(entry: string | undefined): string {
  return /services[\\/]([^\\/]+)[\\/][^\\/]+$/.exec(entry ?? "")?.[1] ?? "boxoffice";
}
