import { isMainThread } from "node:worker_threads";
import { tracingSchema } from "./tracing-fields.js";

/**
 * Preloaded before an entry point (`node --import ./dist/services/shared/tracing/register.js
 * dist/services/<name>/main.js`; the image sets it in NODE_OPTIONS): instrumentations patch pg,
 * ioredis and http as they load, so they must be hooked before the app's first import.
 *
 * Without OTEL_EXPORTER_OTLP_ENDPOINT nothing is loaded or hooked, and the API calls in the code
 * stay the no-ops of @opentelemetry/api. A bad OTEL_* value does not stop here: the process's
 * own typed config, which includes the same fields, stops it with the variable named.
 */
if (isMainThread) {
  const parsed = tracingSchema.safeParse(process.env);
  if (parsed.success && parsed.data.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const { startTracing } = await import("./tracing-sdk.js");
    await startTracing(parsed.data, processName(process.argv[1]));
  }
}

/** services/<name>/… of the entry point, the name its logs and metrics go by. */
function processName(entry: string | undefined): string {
  return /services[\\/]([^\\/]+)[\\/][^\\/]+$/.exec(entry ?? "")?.[1] ?? "boxoffice";
}
