import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogService, GetEventResponseSchema } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { startEdgeWithFakes, type EdgeUnderTest } from "./fake-upstream-edge.js";

const EVENT_ID = "00000000-0000-4000-8000-000000000001";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let edge: EdgeUnderTest;

beforeAll(async () => {
  edge = await startEdgeWithFakes({ catalog: { getEvent: () => create(GetEventResponseSchema, { event: { id: EVENT_ID } }) } });
});

afterAll(async () => {
  await edge?.close();
});

const lastGetEvent = () => edge.callsTo("GetEvent").at(-1)!;

describe("request ids", () => {
  it("every answer carries an x-request-id, a fresh UUID when the client sent none", async () => {
    const answers = await Promise.all([
      fetch(`${edge.base}/events/${EVENT_ID}`),
      fetch(`${edge.base}/no/such/path`),
      fetch(`${edge.base}/healthz`),
      fetch(`${edge.base}/boxoffice.catalog.v1.CatalogService/GetEvent`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ eventId: EVENT_ID }) }),
    ]);
    const ids = answers.map((answer) => answer.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps a plausible id from the client and hands it to the service", async () => {
    const response = await fetch(`${edge.base}/events/${EVENT_ID}`, { headers: { "x-request-id": "trace-4bf92f3577b34da6" } });
    expect(response.headers.get("x-request-id")).toBe("trace-4bf92f3577b34da6");
    expect(lastGetEvent().headers.get("x-request-id")).toBe("trace-4bf92f3577b34da6");
  });

  it("hands the id it generated to the service too, over Connect as over REST", async () => {
    const seen: string[] = [];
    const catalog = createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1", interceptors: [(next) => async (request) => {
      const response = await next(request);
      seen.push(response.header.get("x-request-id") ?? "");
      return response;
    }] }));
    await catalog.getEvent({ eventId: EVENT_ID });
    expect(seen[0]).toMatch(UUID);
    expect(lastGetEvent().headers.get("x-request-id")).toBe(seen[0]);
  });

  it("replaces an id that could corrupt the logs", async () => {
    const response = await fetch(`${edge.base}/events/${EVENT_ID}`, { headers: { "x-request-id": '"}{"level":60,"msg":"forged' } });
    expect(response.headers.get("x-request-id")).toMatch(UUID);
  });

  it("writes the id on the edge's log lines for the request", async () => {
    const response = await fetch(`${edge.base}/events/${EVENT_ID}`);
    const id = response.headers.get("x-request-id");
    const lines = edge.logs.filter((line) => line.reqId === id);
    // One access line per request, with what was asked and what was answered.
    expect(lines.find((line) => line.msg === "request completed")).toMatchObject({ method: "GET", url: `/events/${EVENT_ID}`, statusCode: 200 });
  });
});
