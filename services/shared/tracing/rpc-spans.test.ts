import * as grpc from "@grpc/grpc-js";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { BookingService } from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import { Health } from "../../../gen/health/v1/health_pb.js";
import { inMemoryTracing } from "../../../test/support/in-memory-tracing.js";
import { endClientSpan, endServerSpan, startClientSpan, startServerSpan } from "./rpc-spans.js";

const confirm = BookingService.method.confirmBooking;
const check = Health.method.check;

describe("RPC spans without an SDK", () => {
  it("inject nothing and record nothing: the API's no-ops", () => {
    const metadata = new grpc.Metadata();
    const span = startClientSpan(confirm, "booking:50053", metadata);
    expect(metadata.get("traceparent")).toEqual([]);
    expect(span.isRecording()).toBe(false);
    endClientSpan(span, 0);
  });
});

describe("RPC spans with an SDK", () => {
  const exporter = inMemoryTracing();

  it("carry the client span's context to the server span in the metadata, W3C traceparent", () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-request-id", "req-1");
    const client = startClientSpan(confirm, "booking:50053", metadata);
    const [traceparent] = metadata.get("traceparent");
    expect(traceparent).toBe(`00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`);

    const server = startServerSpan(confirm, metadata);
    expect(trace.getSpan(server.context)).toBe(server.span);
    endServerSpan(server.span, 0);
    endClientSpan(client, 0);

    const [serverSpan, clientSpan] = exporter.getFinishedSpans();
    expect(clientSpan!.name).toBe("boxoffice.booking.v1.BookingService/ConfirmBooking");
    expect(clientSpan!.kind).toBe(SpanKind.CLIENT);
    expect(serverSpan!.kind).toBe(SpanKind.SERVER);
    expect(serverSpan!.parentSpanContext?.spanId).toBe(clientSpan!.spanContext().spanId);
    expect(serverSpan!.spanContext().traceId).toBe(clientSpan!.spanContext().traceId);
    expect(serverSpan!.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.service": "boxoffice.booking.v1.BookingService", "rpc.method": "ConfirmBooking", "rpc.grpc.status_code": 0, "boxoffice.request_id": "req-1" });
  });

  it("mark an error on the server only for its own faults, on the client for any failure", () => {
    const refused = startServerSpan(confirm, new grpc.Metadata());
    endServerSpan(refused.span, grpc.status.FAILED_PRECONDITION, "seat taken");
    const broken = startServerSpan(confirm, new grpc.Metadata());
    endServerSpan(broken.span, grpc.status.INTERNAL, "bug");
    const client = startClientSpan(confirm, "booking:50053", new grpc.Metadata());
    endClientSpan(client, grpc.status.FAILED_PRECONDITION, "seat taken");
    const [serverRefused, serverBroken, clientRefused] = exporter.getFinishedSpans();
    expect(serverRefused!.status.code).toBe(SpanStatusCode.UNSET);
    expect(serverBroken!.status).toEqual({ code: SpanStatusCode.ERROR, message: "bug" });
    expect(clientRefused!.status).toEqual({ code: SpanStatusCode.ERROR, message: "seat taken" });
  });

  it("leave health checks out", () => {
    const metadata = new grpc.Metadata();
    endClientSpan(startClientSpan(check, "booking:50053", metadata), 0);
    const server = startServerSpan(check, metadata);
    endServerSpan(server.span, 0);
    expect(metadata.get("traceparent")).toEqual([]);
    expect(trace.getSpan(server.context)).toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
