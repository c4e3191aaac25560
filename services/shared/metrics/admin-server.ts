import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { HealthRegistry } from "../health/health-registry.js";

/**
 * Plain HTTP/1.1 side port for Prometheus scrapes and HTTP probes: internal services speak
 * only cleartext HTTP/2, which most scrapers do not.
 */
export async function startAdminServer(
  port: number,
  registry: Registry,
  health: HealthRegistry,
  host = "0.0.0.0",
  documents: Record<string, () => unknown> = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(async (request, response) => {
    if (request.url === "/metrics") {
      response.setHeader("content-type", registry.contentType);
      response.end(await registry.metrics());
      return;
    }
    if (request.url === "/healthz" || request.url === "/readyz") {
      const serving = request.url === "/healthz" || health.status("") === "SERVING";
      response.statusCode = serving ? 200 : 503;
      response.end(serving ? "ok\n" : "not serving\n");
      return;
    }
    const document = request.url && Object.hasOwn(documents, request.url) ? documents[request.url] : undefined;
    if (document) {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(document()));
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
