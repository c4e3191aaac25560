import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { createClient } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/health/v1/health_pb.js";
import { createGrpcJsTransport } from "../../services/shared/rpc/grpc-js/grpc-js-transport.js";
import { REPO, stopChild } from "./child-process.js";

const TRACING_PRELOAD = "services/shared/tracing/register.ts";

export interface ServiceProcess {
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs one of the platform's entry points as its own process, as a pod would, with the given
 * environment and the image's tracing preload (a no-op unless the environment names an OTLP
 * endpoint). Its logs go where a pod's would not be read here: nowhere (they are still
 * written, so their cost is in the figures). `root` is the checkout to run it from: another
 * one (a baseline from before a change) runs without a preload it may not have.
 */
export function startServiceProcess(
  entry: string,
  env: Record<string, string>,
  root = REPO,
  /** Given: the process's log lines (its standard output) are passed here instead of dropped. */
  onLogLine?: (line: string) => void,
): ServiceProcess & { child: ChildProcess } {
  // BENCH_PROFILE=1: each service writes a V8 CPU profile when it stops (bench/support/profile-summary.ts reads them).
  // One file per thread (tsx's loader runs in a worker); the main thread's is the largest.
  const profile = process.env.BENCH_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${REPO}/.services/profiles/${basename(dirname(entry))}`] : [];
  const preload = join(root, TRACING_PRELOAD);
  const tracing = existsSync(preload) ? ["--import", preload] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", ...tracing, entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info", ...env },
    stdio: ["ignore", onLogLine ? "pipe" : "ignore", "inherit"],
  });
  if (onLogLine) createInterface({ input: child.stdout! }).on("line", onLogLine);
  return {
    child,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

/** Waits until a gRPC service answers SERVING, as a readiness probe would. */
export async function waitServing(address: string, timeoutMs = 60_000): Promise<void> {
  const transport = createGrpcJsTransport({ address });
  const health = createClient(Health, transport);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        if ((await health.check({ service: "" }, { timeoutMs: 1_000 })).status === HealthCheckResponse_ServingStatus.SERVING) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`${address} did not become SERVING within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    transport.close();
  }
}

/** Waits until an HTTP URL answers 200. */
export async function waitHttpOk(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
