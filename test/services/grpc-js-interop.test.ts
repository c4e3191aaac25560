import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient, type ConnectRouter, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { Health } from "../../gen/health/v1/health_pb.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { createMetrics } from "../../services/shared/metrics/metrics.js";
import { standardInterceptors } from "../../services/shared/rpc/interceptors.js";
import { createGrpcJsTransport, type GrpcJsTransport } from "../../services/shared/rpc/grpc-js/grpc-js-transport.js";
import { startGrpcServer, type RunningServer } from "../../services/shared/server/grpc-server.js";
import { grpc, grpcJs } from "../support/grpc-js-clients.js";

// The internal hop is grpc-js on both ends (the service host and the edge's transport), while
// the handlers and interceptors are connect-es's. These prove that every pairing in use speaks
// the same gRPC: our transport, connect-node's gRPC transport (tests, buf curl) and a plain
// grpc-js client built from the .proto files (any other language's stub), against our host.

const signals: { aborted?: unknown } = {};
let server: RunningServer;
let address: string;
let ours: GrpcJsTransport;

const routes = (router: ConnectRouter) => {
  router.service(SearchService, {
    async searchEvents(request, context) {
      if (request.term === "slow") {
        await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
        signals.aborted = ConnectError.from(context.signal.reason).code;
        throw ConnectError.from(context.signal.reason);
      }
      return { events: [], backend: "interop", nextPageToken: context.requestHeader.get("x-request-id") ?? "" };
    },
  });
  router.service(Health, {
    async *watch(request) {
      for (let i = 0; i < 3; i++) yield { status: i + 1 };
      if (request.service === "fail") throw new ConnectError("the watch broke", Code.Unavailable);
    },
  });
};

beforeAll(async () => {
  const logger = createLogger("interop-test", "silent");
  server = await startGrpcServer({ name: "interop", host: "127.0.0.1", port: 0, routes: [routes], interceptors: standardInterceptors(logger, createMetrics("interop_test")), logger });
  address = `127.0.0.1:${server.port}`;
  ours = createGrpcJsTransport({ address });
});

afterAll(async () => {
  ours?.close();
  await server?.close(100);
});

/** The error a call must end with; a call that succeeds fails the test. */
async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (failure) {
    return ConnectError.from(failure);
  }
  throw new Error("the call succeeded, but a refusal was expected");
}

const transports: Array<[string, () => Transport]> = [
  ["the edge's grpc-js transport", () => ours],
  ["connect-node's gRPC transport", () => createGrpcTransport({ baseUrl: `http://${address}` })],
];

describe.each(transports)("%s calling the grpc-js service host", (_name, transport) => {
  it("carries a request's headers to the handler and its answer back", async () => {
    const search = createClient(SearchService, transport());
    const response = await search.searchEvents({ term: "jazz" }, { headers: { "x-request-id": "req-42" } });
    expect(response).toMatchObject({ backend: "interop", nextPageToken: "req-42" });
  });

  it("raises a contract refusal as INVALID_ARGUMENT with the field violations in its details", async () => {
    const search = createClient(SearchService, transport());
    const error = await refusal(search.searchEvents({ term: "x".repeat(201) }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toContain("term");
    expect(error.details.length).toBeGreaterThan(0);
  });

  it("ends a call past its deadline with DEADLINE_EXCEEDED and aborts the handler's signal", async () => {
    signals.aborted = undefined;
    const search = createClient(SearchService, transport());
    const error = await refusal(search.searchEvents({ term: "slow" }, { timeoutMs: 150 }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    await expect.poll(() => signals.aborted).toBeDefined();
  });

  it("cancels the call on the server when the caller aborts", async () => {
    signals.aborted = undefined;
    const search = createClient(SearchService, transport());
    const controller = new AbortController();
    const call = refusal(search.searchEvents({ term: "slow" }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect((await call).code).toBe(Code.Canceled);
    await expect.poll(() => signals.aborted).toBe(Code.Canceled);
  });

  it("streams every message of a server stream, then its error status", async () => {
    const health = createClient(Health, transport());
    const statuses: number[] = [];
    const error = await (async () => {
      for await (const message of health.watch({ service: "fail" })) statuses.push(message.status);
    })().catch((failure: unknown) => ConnectError.from(failure));
    expect(statuses).toEqual([1, 2, 3]);
    expect(error).toMatchObject({ code: Code.Unavailable, rawMessage: "the watch broke" });
  });

  it("answers UNIMPLEMENTED for a method the service leaves out", async () => {
    const health = createClient(Health, transport());
    const error = await refusal(health.check({}));
    expect(error.code).toBe(Code.Unimplemented);
  });
});

describe("a plain grpc-js client built from the .proto files", () => {
  it("reads the refusal's code and the violations' field names", async () => {
    const search = grpcJs.search(address);
    try {
      const error = (await search.searchEvents({ term: "x".repeat(201) }).catch((failure: unknown) => failure)) as grpc.ServiceError;
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain("term");
      expect(error.metadata.get("grpc-status-details-bin")).toHaveLength(1);
    } finally {
      search.close();
    }
  });
});
