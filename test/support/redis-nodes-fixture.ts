import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { eventually, freePort } from "./spawned-service.js";

/**
 * Independent redis-server processes owned by one test suite, so a test can stop and restart
 * lock nodes without disturbing the shared ones other suites use.
 */
export interface RedisNodes {
  urls: string[];
  stop(index: number): Promise<void>;
  start(index: number): Promise<void>;
  close(): Promise<void>;
}

export async function redisServerAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = spawn("redis-server", ["--version"], { stdio: "ignore" });
    probe.once("error", () => resolve(false));
    probe.once("exit", (code) => resolve(code === 0));
  });
}

export async function startRedisNodes(count = 3): Promise<RedisNodes> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const processes: Array<ChildProcess | undefined> = [];

  async function start(index: number) {
    const port = ports[index]!;
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    processes[index] = child;
    await eventually(async () => {
      const client = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on("error", () => undefined);
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    }, 10_000, 50);
  }

  async function stop(index: number) {
    const child = processes[index];
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    processes[index] = undefined;
  }

  for (let index = 0; index < count; index += 1) await start(index);
  return {
    urls: ports.map((port) => `redis://127.0.0.1:${port}`),
    start,
    stop,
    async close() {
      await Promise.all(ports.map((_, index) => stop(index)));
    },
  };
}
