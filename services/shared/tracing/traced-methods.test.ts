import { SpanStatusCode, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { inMemoryTracing } from "../../../test/support/in-memory-tracing.js";
import { withSpans } from "./traced-methods.js";

class Provider {
  readonly name = "simulated";
  calls = 0;
  async authorize(amount: number): Promise<string> {
    this.calls++;
    if (amount < 0) throw new Error("negative amount");
    return `paid ${amount}`;
  }
  async capture(): Promise<void> {}
}

describe("withSpans", () => {
  const exporter = inMemoryTracing();
  const request = <T>(work: () => Promise<T>) => trace.getTracer("test").startActiveSpan("request", async (span) => {
    try {
      return await work();
    } finally {
      span.end();
    }
  });

  it("runs each named method in a span under the request's, and leaves the rest of the object as it was", async () => {
    const provider = new Provider();
    const traced = withSpans(provider, "payments", ["authorize"], { "payment.provider": "simulated" });
    expect(await request(() => traced.authorize(5))).toBe("paid 5");
    expect(traced.name).toBe("simulated");
    expect(provider.calls).toBe(1);
    const [payment, parent] = exporter.getFinishedSpans();
    expect(payment!.name).toBe("payments authorize");
    expect(payment!.attributes).toEqual({ "payment.provider": "simulated" });
    expect(payment!.parentSpanContext?.spanId).toBe(parent!.spanContext().spanId);
  });

  it("marks a thrown error on the span and rethrows it", async () => {
    const traced = withSpans(new Provider(), "payments", ["authorize"]);
    await expect(request(() => traced.authorize(-1))).rejects.toThrow("negative amount");
    const [payment] = exporter.getFinishedSpans();
    expect(payment!.status).toEqual({ code: SpanStatusCode.ERROR, message: "negative amount" });
    expect(payment!.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("starts no trace of its own outside a request (background loops)", async () => {
    const traced = withSpans(new Provider(), "payments", ["authorize", "capture"]);
    await traced.authorize(1);
    await traced.capture();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
