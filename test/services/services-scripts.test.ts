import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually, freePort } from "../support/spawned-service.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const haveRedis = requireService("redis-server (Debian package redis-server)", await redisServerAvailable());

async function answers(port: number): Promise<boolean> {
  const client = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

// The scripts run on free ports with their own state folder: the shared lock nodes on
// 6379-6381, which other suites use, are never touched.
describe.skipIf(!haveRedis)("scripts/services: down.sh stops only what up.sh started", () => {
  let servicesDir: string;
  let ports: { foreign: number; first: number; second: number; queue: number };
  let foreign: ChildProcess;
  let env: NodeJS.ProcessEnv;
  const started = () => readFile(join(servicesDir, "started"), "utf8").then((text) => text.split("\n").filter(Boolean), () => []);

  beforeAll(async () => {
    servicesDir = await mkdtemp(join(tmpdir(), "boxoffice-services-"));
    ports = { foreign: await freePort(), first: await freePort(), second: await freePort(), queue: await freePort() };
    // Someone else's Redis, already on one of the lock ports when up.sh comes.
    foreign = spawn("redis-server", ["--port", String(ports.foreign), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await eventually(async () => expect(await answers(ports.foreign)).toBe(true), 10_000, 50);
    env = { ...process.env, SERVICES_DIR: servicesDir, BOXOFFICE_REDIS_PORTS: `${ports.foreign} ${ports.first} ${ports.second}`, BOXOFFICE_QUEUE_REDIS_PORT: String(ports.queue) };
  });

  afterAll(async () => {
    await run("bash", ["scripts/services/down.sh"], { cwd: root, env }).catch(() => undefined);
    foreign?.kill("SIGKILL");
    await rm(servicesDir, { recursive: true, force: true });
  });

  it("records the nodes it started and not the one it found running", async () => {
    const { stdout } = await run("bash", ["scripts/services/up.sh", "--only", "redis"], { cwd: root, env });
    expect(stdout).toContain(`redis ${ports.first}: started`);
    expect(await started()).toEqual([`redis ${ports.first}`, `redis ${ports.second}`, `redis ${ports.queue}`]);
    expect(await Promise.all([ports.foreign, ports.first, ports.second, ports.queue].map(answers))).toEqual([true, true, true, true]);
  });

  it("a second up.sh finds everything running and keeps the record", async () => {
    const { stdout } = await run("bash", ["scripts/services/up.sh", "--only", "redis"], { cwd: root, env });
    expect(stdout).toContain(`redis ${ports.first}: already running`);
    expect(await started()).toEqual([`redis ${ports.first}`, `redis ${ports.second}`, `redis ${ports.queue}`]);
  });

  it("down.sh stops the nodes up.sh started and leaves the other Redis running", async () => {
    const { stdout } = await run("bash", ["scripts/services/down.sh"], { cwd: root, env });
    expect(stdout).toContain(`stopped redis ${ports.first}`);
    expect(stdout).not.toContain(`redis ${ports.foreign}`);
    expect(await Promise.all([ports.foreign, ports.first, ports.second, ports.queue].map(answers))).toEqual([true, false, false, false]);
    expect(await started()).toEqual([]);
  });

  it("down.sh with nothing recorded stops nothing and says so", async () => {
    const { stdout } = await run("bash", ["scripts/services/down.sh"], { cwd: root, env });
    expect(stdout).toContain("nothing to stop");
    expect(await answers(ports.foreign)).toBe(true);
  });
});
