import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcJs, type GrpcJsClient } from "../support/grpc-js-clients.js";
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from "../support/real-services.js";
import { eventually, freePort, spawnEntryPoint, type SpawnedService } from "../support/spawned-service.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const ready = requireService("PostgreSQL", await postgresAvailable());

// The dependency monitor probes every 5 s with a 3 s limit; generous bounds on a busy machine.
const FLIP_WITHIN_MS = 45_000;

describe.skipIf(!ready)("a service reports NOT_SERVING while PostgreSQL is unreachable", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let search: SpawnedService;
  let health: GrpcJsClient<"check">;
  let adminPort: number;

  const status = async () => ((await health.check({ service: "boxoffice.search.v1.SearchService" })) as { status: string }).status;
  const readyz = async () => (await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status;

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const throughProxy = new URL(database.url);
    throughProxy.port = String(proxy.port);
    const [port, admin] = [await freePort(), await freePort()];
    adminPort = admin;
    search = spawnEntryPoint("services/search/main.ts", { DATABASE_URL: throughProxy.toString(), SEARCH_PORT: String(port), SEARCH_ADMIN_PORT: String(admin) });
    health = grpcJs.health(`127.0.0.1:${port}`);
    await eventually(async () => expect(await status()).toBe("SERVING"), 120_000, 250);
  }, 180_000);

  afterAll(async () => {
    health?.close();
    await search?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it("is SERVING, and ready on the admin port, while PostgreSQL answers", async () => {
    expect(await status()).toBe("SERVING");
    expect(await readyz()).toBe(200);
  });

  it("turns NOT_SERVING and unready when the database cannot be reached", async () => {
    await proxy.cut();
    await eventually(async () => expect(await status()).toBe("NOT_SERVING"), FLIP_WITHIN_MS, 250);
    expect(await readyz()).toBe(503);
    // Liveness stays up: the process is fine, only its dependency is not.
    expect((await fetch(`http://127.0.0.1:${adminPort}/healthz`)).status).toBe(200);
    expect(search.output()).toMatch(/"dependency":"postgres".*"msg":"dependency is down"/);
  });

  it("turns SERVING again once the database is back, without a restart", async () => {
    await proxy.restore();
    await eventually(async () => expect(await status()).toBe("SERVING"), FLIP_WITHIN_MS, 250);
    expect(await readyz()).toBe(200);
    expect(search.process.exitCode).toBeNull();
    expect(search.output()).toMatch(/"dependency":"postgres".*"msg":"dependency is back"/);
  });
});
