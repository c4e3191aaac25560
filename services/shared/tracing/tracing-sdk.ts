import { register } from "node:module";
import { createAddHookMessageChannel } from "import-in-the-middle";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import type { TracingConfig } from "./tracing-fields.js";
import { setTracingShutdown } from "./tracing-shutdown.js";

// Probes and scrapes arrive every few seconds from every kubelet and Prometheus: a trace each
// would bury the requests people make.
const UNTRACED_PATHS = new Set(["/healthz", "/readyz", "/metrics", "/grpc.health.v1.Health/Check"]);

/**
 * The OpenTelemetry SDK for one process: spans of incoming and outgoing HTTP (the edge's browser
 * requests, OpenSearch), PostgreSQL (pg) and Redis (ioredis), with our own gRPC spans
 * (rpc-spans.ts), exported in batches over OTLP/HTTP or to Zipkin (OTEL_TRACES_EXPORTER; the SDK
 * carries both exporters). Exporter, sampler and resource come from the standard OTEL_* variables,
 * which the SDK reads itself; metrics and logs stay with
 * Prometheus and pino.
 */
export async function startTracing(config: TracingConfig, processName: string): Promise<void> {
  // ESM imports of instrumented packages go through import-in-the-middle's loader hook; the
  // channel tells the loader which modules the instrumentations asked for, and only those are wrapped.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register("import-in-the-middle/hook.mjs", import.meta.url, registerOptions);
  const sdk = new NodeSDK({
    serviceName: config.OTEL_SERVICE_NAME ?? processName,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? "").split("?")[0]!),
        // Outgoing HTTP is traced only inside a request (an OpenSearch call of a search), never alone.
        requireParentforOutgoingSpans: true,
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({
        requireParentSpan: true,
        // The command and its key, never the values: holder tokens and cached pages stay out of traces.
        dbStatementSerializer: (command, args) => [command, args[0]].filter((part) => part !== undefined).join(" "),
      }),
    ],
  });
  sdk.start();
  setTracingShutdown(() => sdk.shutdown());
  await waitForAllMessagesAcknowledged();
}
