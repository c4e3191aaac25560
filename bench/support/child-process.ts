import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
/** Where benches write their figures: docs/performance (published), or BENCH_OUT (CI's short runs). */
export const BENCH_OUT = resolve(REPO, process.env.BENCH_OUT ?? "docs/performance");

export interface RunningChild<T> {
  pid: number;
  /** The first JSON line the process printed (its port, for servers). */
  hello: T;
  stop(): Promise<void>;
}

/** Starts a TypeScript entry point in its own Node process and waits for its first JSON line. */
export function startNodeChild<T>(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunningChild<T>> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return;
      try {
        const hello = JSON.parse(line) as T;
        child.removeAllListeners("exit");
        lines.removeAllListeners("line");
        // Keep draining whatever it prints next, so it never blocks on a full pipe.
        child.stdout!.resume();
        resolvePromise({ pid: child.pid!, hello, stop: () => stopChild(child) });
      } catch {
        // a log line that happens to start with "{": wait for the hello
      }
    });
  });
}

/** SIGTERM, then SIGKILL if it has not gone within 15 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    child.once("exit", () => resolvePromise());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
  });
}

/** Runs a TypeScript entry point to completion and parses the last JSON line it printed. */
export function runNodeChildJson<T>(script: string, args: string[]): Promise<T> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return new Promise((resolvePromise, reject) => {
    // "close", not "exit": stdout may still hold data when the process has exited.
    child.once("close", (code) => {
      const last = output.trim().split("\n").filter((line) => line.startsWith("{")).pop();
      if (code !== 0 || !last) return reject(new Error(`${script} exited (${code}) without a result`));
      try {
        resolvePromise(JSON.parse(last) as T);
      } catch (error) {
        reject(error);
      }
    });
  });
}
