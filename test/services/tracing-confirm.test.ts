import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { searchReserveConfirm } from "../support/confirm-through-edge.js";
import { startOtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.js";
import { createTestDatabase, postgresAvailable, redisAvailable, requireService, type TestDatabase } from "../support/real-services.js";
import { spawnPlatform, type SpawnedPlatform } from "../support/spawned-platform.js";
import { eventually } from "../support/spawned-service.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable());

const SERVER = 2;
const CLIENT = 3;

describe.skipIf(!ready)("one confirm is one trace, from the browser's traceparent through the edge to booking, PostgreSQL, Redis and the provider", () => {
  let database: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let platform: SpawnedPlatform;
  const devSecret = "tracing-test-secret-0123456789ab";
  const issueToken = createDevTokenIssuer({ mode: "dev", devSecret, issuer: "boxoffice-dev", audience: "boxoffice" });

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoData(database.db, { events: 6 });
    receiver = await startOtlpReceiver();
    platform = await spawnPlatform({
      databaseUrl: database.url,
      devSecret,
      extraEnv: (service) => ({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_SERVICE_NAME: service,
        OTEL_TRACES_SAMPLER: "parentbased_always_on",
        // Export within a fraction of a second rather than the default 5 s.
        OTEL_BSP_SCHEDULE_DELAY: "100",
      }),
    });
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it("search → reserve → confirm: the confirm's trace has spans of the edge, booking, pg, ioredis and the payment provider, each parented within the trace", async () => {
    const { traceId, browserSpanId, response: confirm } = await searchReserveConfirm(`http://${platform.address("edge")}`, database.db, await issueToken("tracer"));
    expect(confirm.status, await confirm.clone().text()).toBe(200);

    const spansOf = () => receiver.spans.filter((span) => span.traceId === traceId);
    const find = (spans: ReceivedSpan[], what: (span: ReceivedSpan) => boolean, label: string) => {
      const found = spans.find(what);
      if (!found) throw new Error(`no ${label} span in the trace yet: ${spans.map((s) => `${s.service}:${s.name}`).join(", ")}`);
      return found;
    };
    const trace = await eventually(async () => {
      const spans = spansOf();
      const edgeServer = find(spans, (s) => s.service === "edge" && s.kind === SERVER && s.name === "POST /booking/confirm", "edge HTTP server");
      const edgeClient = find(spans, (s) => s.service === "edge" && s.kind === CLIENT && s.name === "boxoffice.booking.v1.BookingService/ConfirmBooking", "edge gRPC client");
      const bookingServer = find(spans, (s) => s.service === "booking" && s.kind === SERVER && s.name === "boxoffice.booking.v1.BookingService/ConfirmBooking", "booking gRPC server");
      const pg = find(spans, (s) => s.service === "booking" && s.scope.includes("instrumentation-pg") && s.kind === CLIENT, "PostgreSQL");
      const redis = find(spans, (s) => s.service === "booking" && s.scope.includes("instrumentation-ioredis"), "Redis");
      const authorize = find(spans, (s) => s.service === "booking" && s.name === "payments authorize", "payment authorize");
      const capture = find(spans, (s) => s.service === "booking" && s.name === "payments capture", "payment capture");
      return { spans, edgeServer, edgeClient, bookingServer, pg, redis, authorize, capture };
    }, 20_000, 200);

    const tree = (parent: string, depth: number): string[] =>
      trace.spans.filter((span) => span.parentSpanId === parent).flatMap((span) => [`${"  ".repeat(depth)}${span.service}: ${span.name}`, ...tree(span.spanId, depth + 1)]);
    console.log(`[trace] the confirm's spans:\n${tree(browserSpanId, 1).join("\n")}`);

    expect(trace.edgeServer.parentSpanId).toBe(browserSpanId);
    expect(trace.edgeServer.attributes["http.route"]).toBe("/booking/confirm");
    expect(trace.bookingServer.parentSpanId).toBe(trace.edgeClient.spanId);
    expect(trace.bookingServer.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.service": "boxoffice.booking.v1.BookingService", "rpc.method": "ConfirmBooking", "rpc.grpc.status_code": 0 });
    expect(trace.edgeClient.attributes["rpc.grpc.status_code"]).toBe(0);
    // The request id of the logs is on both sides of the hop.
    expect(trace.bookingServer.attributes["boxoffice.request_id"]).toBe(confirm.headers.get("x-request-id"));
    expect(trace.edgeServer.attributes["boxoffice.request_id"]).toBe(confirm.headers.get("x-request-id"));
    expect(trace.authorize.attributes["payment.provider"]).toBe("simulated");

    // Every span hangs from another span of the same trace (or from the browser's): one tree, no orphans.
    const ids = new Set([browserSpanId, ...trace.spans.map((span) => span.spanId)]);
    const orphans = trace.spans.filter((span) => !ids.has(span.parentSpanId));
    expect(orphans.map((s) => `${s.service}:${s.name}`)).toEqual([]);
    // The stores are reached within booking's handling of the call.
    const ancestors = (span: ReceivedSpan): string[] => {
      const parent = trace.spans.find((candidate) => candidate.spanId === span.parentSpanId);
      return parent ? [parent.spanId, ...ancestors(parent)] : [];
    };
    for (const store of [trace.pg, trace.redis, trace.authorize, trace.capture]) {
      expect(ancestors(store), `${store.service}:${store.name}`).toContain(trace.bookingServer.spanId);
    }
    expect(new Set(trace.spans.map((span) => span.service))).toEqual(new Set(["edge", "booking"]));
  });

  it("a Connect call without a traceparent starts its trace at the edge, and it reaches the search service", async () => {
    const before = receiver.spans.length;
    const response = await fetch(`http://${platform.address("edge")}/boxoffice.search.v1.SearchService/SearchEvents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ term: "a" }),
    });
    expect(response.status).toBe(200);
    await eventually(async () => {
      const fresh = receiver.spans.slice(before);
      const root = fresh.find((s) => s.service === "edge" && s.kind === SERVER && s.name === "POST /boxoffice.search.v1.SearchService/SearchEvents" && s.parentSpanId === "");
      expect(root).toBeDefined();
      const searchServer = fresh.find((s) => s.service === "search" && s.traceId === root!.traceId && s.name === "boxoffice.search.v1.SearchService/SearchEvents");
      expect(searchServer).toBeDefined();
    }, 20_000, 200);
  });
});
