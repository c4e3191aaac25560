import { z } from "zod";

// An empty variable is how a ConfigMap says "off": treat it as unset rather than as a bad URL.
const emptyIsUnset = (value: unknown) => (value === "" ? undefined : value);

/**
 * The standard OpenTelemetry variables this platform reads (the SDK reads them too, by the same
 * names, so an operator's knowledge carries over). Every process's typed config includes them, so
 * a bad value stops the process with its name like any other setting. Tracing is on only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export const tracingFields = {
  /** The collector's OTLP/HTTP base URL, e.g. http://otel-collector:4318 (the SDK adds /v1/traces). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyIsUnset, z.url({ protocol: /^https?$/, error: "must be an http(s):// URL, or empty for no tracing" }).optional()),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).default("http/protobuf"),
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
