import { z } from "zod";

// An empty variable is how a ConfigMap says "off": treat it as unset rather than as a bad URL.
const emptyIsUnset = (value: unknown) => (value === "" ? undefined : value);

/**
 * The standard OpenTelemetry variables this platform reads (the SDK reads them too, by the same
 * names, so an operator's knowledge carries over). Every process's typed config includes them, so
 * a bad value stops the process with its name like any other setting. Tracing is on only when the
 * chosen exporter's endpoint is set (tracingEnabled).
 */
export const tracingFields = {
  /** The collector's OTLP/HTTP base URL, e.g. http://otel-collector:4318 (the SDK adds /v1/traces). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyIsUnset, z.url({ protocol: /^https?$/, error: "must be an http(s):// URL, or empty for no tracing" }).optional()),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).default("http/protobuf"),
  /** otlp (a collector, Jaeger) or zipkin (a Zipkin server, the local viewer with a UI). The SDK takes others; we support these two. */
  OTEL_TRACES_EXPORTER: z.preprocess(emptyIsUnset, z.enum(["otlp", "zipkin"]).default("otlp")),
  /** Zipkin's full span URL, e.g. http://127.0.0.1:9411/api/v2/spans; with OTEL_TRACES_EXPORTER=zipkin it turns tracing on. */
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: z.preprocess(emptyIsUnset, z.url({ protocol: /^https?$/, error: "must be an http(s):// URL (…/api/v2/spans), or empty" }).optional()),
  /** Defaults to the process's name (catalog, search, booking, edge, indexer, platform). */
  OTEL_SERVICE_NAME: z.preprocess(emptyIsUnset, z.string().min(1).optional()),
  /** Parent-based by default: a browser or caller that sampled a request gets the whole trace. */
  OTEL_TRACES_SAMPLER: z
    .enum(["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"])
    .default("parentbased_always_on"),
  /** The ratio of the *traceidratio samplers, 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(emptyIsUnset, z.coerce.number().min(0).max(1).optional()),
};

export const tracingSchema = z.object(tracingFields);
export type TracingConfig = z.infer<typeof tracingSchema>;

/**
 * Whether to start the SDK: the chosen exporter needs its endpoint. Zipkin's exporter would fall
 * back to localhost:9411, but an endpoint nobody set would send spans nowhere in a pod, so an
 * unset one means off for both, as an empty OTLP endpoint always has.
 */
export function tracingEnabled(config: TracingConfig): boolean {
  return Boolean(config.OTEL_TRACES_EXPORTER === "zipkin" ? config.OTEL_EXPORTER_ZIPKIN_ENDPOINT : config.OTEL_EXPORTER_OTLP_ENDPOINT);
}
