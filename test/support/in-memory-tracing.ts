import { context, propagation, trace } from "@opentelemetry/api";
import { node, tracing } from "@opentelemetry/sdk-node";
import { afterAll, beforeAll, beforeEach } from "vitest";

/**
 * An OpenTelemetry SDK for one describe block: a tracer provider with the AsyncLocalStorage
 * context and the W3C propagator registered globally (as the preload's NodeSDK does), finished
 * spans kept in memory and forgotten before each test, and the globals cleared afterwards.
 */
export function inMemoryTracing(): tracing.InMemorySpanExporter {
  const exporter = new tracing.InMemorySpanExporter();
  beforeAll(() => new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] }).register());
  beforeEach(() => exporter.reset());
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });
  return exporter;
}
