import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { expect } from "vitest";
import { grpcJs } from "./grpc-js-clients.js";

const root = resolve(import.meta.dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

export interface SpawnedService {
  process: ChildProcess;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Runs an entry point as its own process, as Kubernetes would, with only the given environment,
 * and with the tracing preload the image runs every process with (off unless the environment
 * names an OTLP endpoint).
 */
export function spawnEntryPoint(entry: string, env: Record<string, string>, nodeArgs: string[] = []): SpawnedService {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "--import", resolve(root, "services/shared/tracing/register.ts"), resolve(root, entry)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((ok) => child.once("exit", (code) => ok(code)));
  return {
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
      await new Promise((ok) => setTimeout(ok, intervalMs));
    }
  }
  throw lastError;
}

/**
 * Waits until each internal service answers SERVING on grpc.health.v1 and the edge, if given,
 * /healthz, with room for processes that compile with tsx at once on a 2-core CI machine.
 */
export async function untilServing(serviceAddresses: readonly string[], edgeAddress?: string): Promise<void> {
  await Promise.all(
    serviceAddresses.map(async (address) => {
      const health = grpcJs.health(address);
      try {
        await eventually(async () => expect(await health.check({ service: "" })).toEqual({ status: "SERVING" }), 120_000, 250);
      } finally {
        health.close();
      }
    }),
  );
  if (edgeAddress) await eventually(async () => expect((await fetch(`http://${edgeAddress}/healthz`)).status).toBe(200), 120_000, 250);
}
