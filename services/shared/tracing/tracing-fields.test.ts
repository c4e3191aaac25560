import { describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../config/load-config.js";
import { tracingSchema } from "./tracing-fields.js";

describe("the OTEL_* settings", () => {
  it("are off when the endpoint is unset or empty, as the manifests leave it", () => {
    expect(loadConfig(tracingSchema, {}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    const empty = loadConfig(tracingSchema, { OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_SERVICE_NAME: "", OTEL_TRACES_SAMPLER_ARG: "" });
    expect(empty).toEqual({ OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf", OTEL_SERVICE_NAME: undefined, OTEL_TRACES_SAMPLER: "parentbased_always_on", OTEL_TRACES_SAMPLER_ARG: undefined });
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
});
