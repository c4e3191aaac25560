import { join } from "node:path";
import { Redis } from "ioredis";
import { ManagedProcess } from "./managed-process.js";

/**
 * The chaos run's own Redlock masters: redis-server processes on free ports, never the shared
 * ones other engineers and CI use, so the nemesis may kill them. Like the masters Redlock
 * assumes, they keep nothing on disk: a restarted one has forgotten every hold.
 */
export function redisNodes(ports: number[], runDir: string): ManagedProcess[] {
  return ports.map(
    (port, index) =>
      new ManagedProcess(`redis-${index}`, "redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", runDir], {
        cwd: runDir,
        env: { PATH: process.env.PATH ?? "" },
        log: join(runDir, "logs", `redis-${index}.log`),
        ready: () => untilPong(port),
      }),
  );
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
