import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { NETWORK_LABELS } from "../../chaos/network-faults.js";
import { restartLabel } from "../../chaos/redis-persistence.js";
import { requireService, searchEngineAvailable } from "../support/real-services.js";
import { toxiproxyAvailable } from "../support/toxiproxy.js";

const root = resolve(import.meta.dirname, "../..");
const redisServerInstalled = spawnSync("redis-server", ["--version"]).status === 0;
const postgresInstalled = existsSync("/usr/lib/postgresql");
const ready =
  requireService("PostgreSQL server binaries (Debian's postgresql package, for the chaos run's own cluster)", postgresInstalled) &&
  requireService("redis-server (Debian's redis-server package, for the chaos run's own masters)", redisServerInstalled) &&
  requireService("search engine (the indexer's and search's, behind the run's Toxiproxy)", await searchEngineAvailable()) &&
  requireService("Toxiproxy (the run's network faults and \"search engine down\")", toxiproxyAvailable(), "build it with `bash scripts/toxiproxy/install.sh`");
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The fault's row in the run's table, injected at least once. */
const row = (label: string) => new RegExp(`${escape(label)} \\| [1-9]`);

// CI's short chaos schedule (npm run chaos -- --short, about two minutes on a quiet machine): every
// fault kind once against its own PostgreSQL cluster, Redis masters (never the shared ones) and
// Toxiproxy, and the shared search engine behind that Toxiproxy (the engine itself is never
// stopped), then the invariant checker. A fixed seed keeps CI's faults the same from run to run;
// CHAOS_SEED tries another.
describe.runIf(ready)("short chaos run", () => {
  it("keeps every invariant through kill -9 of a booking replica, of a Redis master, of the edge, a PostgreSQL crash, a payment provider outage, latency and partitions on the Redis and PostgreSQL links, and the search engine down", async () => {
    const seed = process.env.CHAOS_SEED ?? "15";
    const child = spawn(process.execPath, ["--import", "tsx", "chaos/run-chaos.ts", "--short", "--seed", seed], { cwd: root, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((ok) => child.once("exit", ok));
    console.log(output);
    expect(output).toMatch(row("kill -9 booking replica"));
    expect(output).toMatch(row(restartLabel("aof-always")));
    expect(output).toMatch(row("kill -9 edge"));
    expect(output).toMatch(row("payment provider errors and timeouts"));
    expect(output).toMatch(row("PostgreSQL crashed and restarted"));
    for (const label of Object.values(NETWORK_LABELS)) expect(output).toMatch(row(label));
    expect(output).toMatch(row("search engine down"));
    // The outage saw searches, so the fallback was put to the test.
    expect(output).toMatch(/Search engine down for [\d.]+ s: [1-9]\d* searches sent meanwhile/);
    expect(code, `the chaos run (seed ${seed}) failed:\n${output.slice(-6_000)}`).toBe(0);
  }, 240_000);
});
