import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEdgeWithFakes, type EdgeUnderTest } from "./fake-upstream-edge.js";

interface Operation {
  parameters?: Array<{ name: string; in: string; schema: { enum?: string[] } }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  "x-streaming-rpcs": { paths: string[] };
}

const SPEC_FILE = resolve(import.meta.dirname, "../../gen/openapi/boxoffice.openapi.json");
let spec: OpenApi;
let edge: EdgeUnderTest;

beforeAll(async () => {
  spec = JSON.parse(await readFile(SPEC_FILE, "utf8")) as OpenApi;
  edge = await startEdgeWithFakes({ search: { searchEvents: () => ({ events: [] }) } });
});

afterAll(async () => {
  await edge?.close();
});

const CONNECT_PROCEDURE = /^\/[a-z0-9_.]+\.[A-Z]\w*\/[A-Z]\w*$/;

/** `GET /events/{eventId}` as fastify writes it: `GET /events/:eventId`. */
const specRoutes = () =>
  Object.entries(spec.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`));

describe("the OpenAPI description and the edge's routes", () => {
  it("describe the same REST and Connect paths (a route added, removed or renamed on one side only fails here)", () => {
    const streaming = new Set(spec["x-streaming-rpcs"].paths);
    const registered = edge.edge.apiRoutes
      // fastify adds HEAD beside every GET; streams and the probes' health service are left out on purpose.
      .filter(({ method, url }) => method !== "HEAD" && !streaming.has(url) && !url.startsWith("/grpc.health.v1."))
      // The Connect plugin takes every method on a procedure's path (answering 405 to most):
      // the procedure is described by its POST, its GET form in that operation's text.
      .map(({ method, url }) => (CONNECT_PROCEDURE.test(url) ? `POST ${url}` : `${method} ${url}`));
    expect([...new Set(registered)].sort()).toEqual(specRoutes().sort());
  });

  it("name the streaming RPCs they leave out, and only those", () => {
    const streams = edge.edge.apiRoutes.filter(({ url }) => /\/Watch(EventTickets|QueuePosition)$/.test(url)).map(({ url }) => url);
    expect(spec["x-streaming-rpcs"].paths).toEqual([...new Set(streams)]);
  });

  it("give GET /events/search exactly the query parameters the route reads", async () => {
    const described = spec.paths["/events/search"]!.get!.parameters!.filter((parameter) => parameter.in === "query").map((parameter) => parameter.name);
    const refusal = (await (await fetch(`${edge.base}/events/search?notAParameter=1`)).json()) as { error: { message: string } };
    const taken = /the search takes (.+)$/.exec(refusal.error.message)?.[1]?.split(", ");
    expect(taken?.sort()).toEqual([...described].sort());
  });
});

describe("the edge serves its OpenAPI description", () => {
  it("at /openapi.json, as generated, revalidated by ETag", async () => {
    const response = await fetch(`${edge.base}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(spec);
    const again = await fetch(`${edge.base}/openapi.json`, { headers: { "if-none-match": response.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("with a reference page at /docs/api whose files all come from the edge (no CDN), under the edge's CSP", async () => {
    const page = await fetch(`${edge.base}/docs/api`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset, "a same-origin path").toMatch(/^\/docs\/api\//);
      const response = await fetch(`${edge.base}${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    expect(html).not.toMatch(/<script>[^<]/);
  });

  it("and no other file of the Swagger UI package", async () => {
    for (const file of ["index.html", "swagger-initializer.js", "package.json", "../package.json"]) {
      expect((await fetch(`${edge.base}/docs/api/assets/${file}`)).status, file).toBe(404);
    }
  });
});
