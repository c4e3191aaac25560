import { connect, type ClientHttp2Session } from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../services/shared/health/health-registry.js";
import { healthRoutes } from "../../services/shared/health/health-routes.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { createMetrics } from "../../services/shared/metrics/metrics.js";
import { standardInterceptors } from "../../services/shared/rpc/interceptors.js";
import { startGrpcServer, type RunningServer } from "../../services/shared/server/grpc-server.js";
import { grpc, grpcJs } from "../support/grpc-js-clients.js";

// The server every internal service runs (startGrpcServer), with its standard interceptors and
// the health routes, called by grpc-js and by plain HTTP/2 requests.
let server: RunningServer;
let address: string;
let session: ClientHttp2Session;

beforeAll(async () => {
  const logger = createLogger("protocol-test", "silent");
  server = await startGrpcServer({
    name: "protocol-test",
    host: "127.0.0.1",
    port: 0,
    routes: [healthRoutes(new HealthRegistry(["boxoffice.catalog.v1.CatalogService"], "SERVING"))],
    interceptors: standardInterceptors(logger, createMetrics("protocol_test")),
    logger,
  });
  address = `127.0.0.1:${server.port}`;
  session = connect(`http://${address}`);
});

afterAll(async () => {
  session?.close();
  await server?.close(100);
});

/** One grpc-js call by path, with no proto: raw bytes in and out. */
function grpcJsCall(path: string): Promise<grpc.ServiceError | undefined> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    const identity = (bytes: Buffer) => bytes;
    client.makeUnaryRequest(path, identity, identity, Buffer.alloc(0), { deadline: Date.now() + 5_000 }, (error) => {
      client.close();
      resolve(error ?? undefined);
    });
  });
}

/** A plain HTTP/2 request: status, headers and body text. */
function h2(path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const stream = session.request({ ":method": "POST", ":path": path, ...headers });
    let responseHeaders: Record<string, unknown> = {};
    let text = "";
    stream.on("response", (received) => (responseHeaders = received));
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (text += chunk));
    stream.on("end", () => resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders, body: text }));
    stream.on("error", reject);
    stream.end(body);
  });
}

describe("an internal server asked for a method it does not serve", () => {
  it("answers a gRPC client UNIMPLEMENTED (grpc-status 12) naming the method, as gRPC servers do", async () => {
    const error = await grpcJsCall("/boxoffice.catalog.v1.CatalogService/NoSuchMethod");
    expect(error?.code).toBe(grpc.status.UNIMPLEMENTED);
    // A bare HTTP 404 would reach grpc-js as "Received HTTP status code 404".
    expect(error?.details).toContain("/boxoffice.catalog.v1.CatalogService/NoSuchMethod");
  });

  it("answers UNIMPLEMENTED for a service it does not have at all, in one trailers-only response", async () => {
    const response = await h2("/boxoffice.payments.v1.PaymentService/Charge", { "content-type": "application/grpc", te: "trailers" }, "");
    expect(response.status).toBe(200);
    expect(response.headers["grpc-status"]).toBe("12");
    expect(response.body).toBe("");
  });

  it("still serves the methods it has", async () => {
    const health = grpcJs.health(address);
    try {
      expect(await health.check({ service: "boxoffice.catalog.v1.CatalogService" })).toMatchObject({ status: "SERVING" });
    } finally {
      health.close();
    }
  });
});

describe("an internal server given what is not a gRPC call", () => {
  it("answers 415 to Connect's JSON or any other media type: browsers' protocols are the edge's", async () => {
    const response = await h2("/grpc.health.v1.Health/Check", { "content-type": "application/json" }, "{}");
    expect(response.status).toBe(415);
    expect(response.headers["grpc-status"]).toBeUndefined();
  });

  it("refuses a body that is not a valid protobuf message with INVALID_ARGUMENT, not INTERNAL", async () => {
    // Field 1 with wire type 7, which does not exist.
    const payload = Buffer.from([0x0f, 0x01]);
    const error = await new Promise<grpc.ServiceError | undefined>((resolve) => {
      const client = new grpc.Client(address, grpc.credentials.createInsecure());
      const identity = (bytes: Buffer) => bytes;
      client.makeUnaryRequest("/grpc.health.v1.Health/Check", identity, identity, payload, { deadline: Date.now() + 5_000 }, (failure) => {
        client.close();
        resolve(failure ?? undefined);
      });
    });
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/not a valid protobuf message/);
  });
});
