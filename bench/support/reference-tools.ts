import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * redis-benchmark running one command (with __rand_int__ keys) at a concurrency: the ceiling a
 * single Redis node sets for what reserve asks of it.
 */
export async function redisBenchmark(options: { port: number; concurrency: number; requests: number; command: string[] }): Promise<number> {
  const { stdout } = await run("redis-benchmark", ["-p", String(options.port), "-c", String(options.concurrency), "-n", String(options.requests), "-r", "100000000", "--csv", ...options.command], {
    maxBuffer: 16 * 1024 * 1024,
  });
  // --csv ends with "name","rps","avg_latency_ms","min","p50","p95","p99","max"; the name (a
  // script, here) may hold commas and newlines, so read from the end.
  const fields = stdout.trim().split(",");
  return Number(fields[fields.length - 7]!.replaceAll('"', ""));
}

/**
 * pgbench running a script file against a database at a concurrency for a time: the ceiling
 * PostgreSQL sets for the same SQL the service sends. Returns transactions per second and the
 * average latency in ms.
 */
export async function pgbench(options: { url: string; scriptFile: string; clients: number; seconds: number }): Promise<{ perSecond: number; averageMs: number }> {
  const { stdout } = await run("pgbench", ["--no-vacuum", "-n", "-c", String(options.clients), "-j", "2", "-T", String(options.seconds), "-f", options.scriptFile, options.url], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const tps = /tps = ([\d.]+)/.exec(stdout);
  const latency = /latency average = ([\d.]+) ms/.exec(stdout);
  if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return { perSecond: Number(tps[1]), averageMs: Number(latency?.[1] ?? Number.NaN) };
}
