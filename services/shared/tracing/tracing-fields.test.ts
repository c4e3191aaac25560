import { describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../config/load-config.js";
import { tracingEnabled, tracingSchema } from "./tracing-fields.js";

describe("the OTEL_* settings", () => {
  it("are off when the endpoint is unset or empty, as the manifests leave it", () => {
    expect(loadConfig(tracingSchema, {}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    const empty = loadConfig(tracingSchema, { OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_SERVICE_NAME: "", OTEL_TRACES_SAMPLER_ARG: "", OTEL_TRACES_EXPORTER: "", OTEL_EXPORTER_ZIPKIN_ENDPOINT: "" });
    expect(empty).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: undefined,
      OTEL_SERVICE_NAME: undefined,
      OTEL_TRACES_SAMPLER: "parentbased_always_on",
      OTEL_TRACES_SAMPLER_ARG: undefined,
    });
    expect(tracingEnabled(empty)).toBe(false);
  });

  it("turn on with the chosen exporter's endpoint only: OTLP's, or Zipkin's with OTEL_TRACES_EXPORTER=zipkin", () => {
    const enabled = (env: Record<string, string>) => tracingEnabled(loadConfig(tracingSchema, env));
    expect(enabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe(true);
    const zipkin = loadConfig(tracingSchema, { OTEL_TRACES_EXPORTER: "zipkin", OTEL_EXPORTER_ZIPKIN_ENDPOINT: "http://127.0.0.1:9411/api/v2/spans" });
    expect(zipkin).toMatchObject({ OTEL_TRACES_EXPORTER: "zipkin", OTEL_EXPORTER_ZIPKIN_ENDPOINT: "http://127.0.0.1:9411/api/v2/spans" });
    expect(tracingEnabled(zipkin)).toBe(true);
    // Each exporter needs its own endpoint: the other one's does not turn it on.
    expect(enabled({ OTEL_TRACES_EXPORTER: "zipkin", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe(false);
    expect(enabled({ OTEL_EXPORTER_ZIPKIN_ENDPOINT: "http://127.0.0.1:9411/api/v2/spans" })).toBe(false);
  });

  it("take the collector's URL, a protocol, a sampler and its ratio", () => {
    const config = loadConfig(tracingSchema, {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector.observability:4318",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.1",
    });
    expect(config).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector.observability:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_TRACES_SAMPLER_ARG: 0.1 });
  });

  it("name a bad value: a process stops at start-up rather than trace nowhere", () => {
    const attempt = () => loadConfig(tracingSchema, { OTEL_EXPORTER_OTLP_ENDPOINT: "otel-collector:4318", OTEL_TRACES_SAMPLER: "sometimes", OTEL_TRACES_SAMPLER_ARG: "2" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT \("otel-collector:4318"\): must be an http\(s\):\/\/ URL/);
    expect(attempt).toThrow(/OTEL_TRACES_SAMPLER \("sometimes"\)/);
    expect(attempt).toThrow(/OTEL_TRACES_SAMPLER_ARG \("2"\)/);
  });

  it("name an exporter we do not support and a Zipkin endpoint that is no URL", () => {
    const attempt = () => loadConfig(tracingSchema, { OTEL_TRACES_EXPORTER: "jaeger", OTEL_EXPORTER_ZIPKIN_ENDPOINT: "zipkin:9411" });
    expect(attempt).toThrow(/OTEL_TRACES_EXPORTER \("jaeger"\)/);
    expect(attempt).toThrow(/OTEL_EXPORTER_ZIPKIN_ENDPOINT \("zipkin:9411"\): must be an http\(s\):\/\/ URL/);
  });
});
