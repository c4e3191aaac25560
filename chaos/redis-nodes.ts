import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { ManagedProcess } from "./managed-process.js";
import { persistenceArgs, type RedisPersistence } from "./redis-persistence.js";

/**
 * The chaos run's own Redlock masters: redis-server processes on free ports, never the shared
 * ones other engineers and CI use, so the nemesis may kill them. Each keeps its holds across a
 * restart as `persistence` says (chaos/redis-persistence.ts): in an append-only file of its own
 * folder, fsynced before every answer, or not at all.
 */
export function redisNodes(ports: number[], runDir: string, persistence: RedisPersistence): ManagedProcess[] {
  return ports.map((port, index) => {
    const dir = join(runDir, `redis-${index}`);
    mkdirSync(dir, { recursive: true });
    return new ManagedProcess(`redis-${index}`, "redis-server", ["--port", String(port), "--bind", "127.0.0.1", ...persistenceArgs(persistence, dir)], {
        cwd: runDir,
        env: { PATH: process.env.PATH ?? "" },
        log: join(runDir, "logs", `redis-${index}.log`),
        ready: () => untilPong(port),
      });
  });
}

async function untilPong(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer PING within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      client.disconnect();
    }
  }
}
