import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { capturedLogger, type LogRecord } from "../support/captured-logger.js";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { grpcJs } from "../support/grpc-js-clients.js";

// The embedded platform: the edge calls the services over real gRPC on loopback, each service
// logging through its own child logger, as the separate processes do.
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let records: LogRecord[];
let base: string;

beforeAll(async () => {
  const captured = capturedLogger("info");
  records = captured.records;
  platform = await startTestPlatform(20, captured.logger);
  base = `http://${platform.address("edge")}`;
});

afterAll(async () => {
  await platform?.close();
});

/** The services' own RPC lines (not the edge's) that carry the id. */
const serviceLines = (reqId: string) => records.filter((record) => record.reqId === reqId && record.service !== "edge" && typeof record.rpc === "string");

/** The services' lines for the id, once the logger has written them. */
const loggedLines = (reqId: string) =>
  eventually(async () => {
    const found = serviceLines(reqId);
    expect(found).not.toHaveLength(0);
    return found;
  }, 5_000, 20);

describe("a request id follows a call from the edge into the services' logs", () => {
  it("a REST search with the caller's x-request-id shows that id on the search service's line", async () => {
    const reqId = "trace-search-0123456789abcdef";
    const response = await fetch(`${base}/events/search?term=tayl`, { headers: { "x-request-id": reqId } });
    expect(response.status).toBe(200);
    const lines = await loggedLines(reqId);
    expect(lines[0]).toMatchObject({ service: "search", rpc: "boxoffice.search.v1.SearchService/SearchEvents", msg: "rpc ok" });
  });

  it("a Connect call's failure is logged by the catalog with the edge's id", async () => {
    const reqId = "trace-missing-event-42";
    const catalog = createClient(CatalogService, createConnectTransport({ baseUrl: base, httpVersion: "1.1" }));
    await expect(catalog.getEvent({ eventId: "00000000-0000-4000-8000-000000000000" }, { headers: { "x-request-id": reqId } })).rejects.toThrow(/does not exist/);
    const lines = await loggedLines(reqId);
    expect(lines[0]).toMatchObject({ service: "catalog", rpc: "boxoffice.catalog.v1.CatalogService/GetEvent", code: "NotFound" });
  });

  it("the id the edge generated when the caller sent none is the one the service logs", async () => {
    const response = await fetch(`${base}/events/search?term=jazz`);
    const reqId = response.headers.get("x-request-id")!;
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    await eventually(async () => expect(serviceLines(reqId).map((line) => line.service)).toEqual(["search"]), 5_000, 20);
  });

  it("a call straight to a service, not through the edge, is logged without an id", async () => {
    const search = grpcJs.search(platform.address("search"));
    try {
      const before = records.length;
      await search.searchEvents({ term: "rock" });
      const line = await eventually(async () => {
        const found = records.slice(before).find((record) => record.rpc === "boxoffice.search.v1.SearchService/SearchEvents");
        expect(found).toBeDefined();
        return found!;
      }, 5_000, 20);
      expect(line).not.toHaveProperty("reqId");
    } finally {
      search.close();
    }
  });

  it("health probes are not logged at info, so a probe every few seconds does not bury real calls", async () => {
    const address = platform.address("search");
    const health = grpcJs.health(address);
    const search = grpcJs.search(address);
    try {
      const before = records.length;
      expect(await health.check({ service: "" })).toMatchObject({ status: "SERVING" });
      // A call after the probe: once its line is there, the probe's would be too.
      await search.searchEvents({ term: "blues" });
      await eventually(async () => {
        expect(records.slice(before).some((record) => record.rpc === "boxoffice.search.v1.SearchService/SearchEvents")).toBe(true);
      }, 5_000, 20);
      expect(records.slice(before).filter((record) => String(record.rpc).startsWith("grpc.health.v1.Health/"))).toEqual([]);
    } finally {
      health.close();
      search.close();
    }
  });
});
