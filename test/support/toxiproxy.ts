import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { eventually, freePort } from "./spawned-service.js";

const INSTALL_SCRIPT = fileURLToPath(new URL("../../scripts/toxiproxy/install.sh", import.meta.url));

/** Where scripts/toxiproxy/install.sh puts the server (TOXIPROXY_SERVER overrides it). */
export function toxiproxyBinary(): string {
  if (process.env.TOXIPROXY_SERVER) return process.env.TOXIPROXY_SERVER;
  return spawnSync("bash", [INSTALL_SCRIPT, "--print-bin"], { encoding: "utf8" }).stdout.trim();
}

export const toxiproxyAvailable = () => existsSync(toxiproxyBinary());

/** One proxy in front of one server: slowed with a latency toxic, or disabled like a dead server. */
export interface ToxicProxy {
  name: string;
  port: number;
  /** Every answer from upstream arrives this much later; the connection stays up. */
  slow(latencyMs: number): Promise<void>;
  /** Connections are closed and refused, as for a server that died. */
  disable(): Promise<void>;
  /** No toxics, enabled. */
  reset(): Promise<void>;
}

export interface Toxiproxy {
  proxy(name: string, upstream: { host: string; port: number }): Promise<ToxicProxy>;
  close(): Promise<void>;
}

/** A Toxiproxy server of this test's own, driven over its HTTP API (toxiproxy v2.5.0). */
export async function startToxiproxy(): Promise<Toxiproxy> {
  const apiPort = await freePort();
  const api = `http://127.0.0.1:${apiPort}`;
  const child: ChildProcess = spawn(toxiproxyBinary(), ["-host", "127.0.0.1", "-port", String(apiPort)], { stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await eventually(async () => {
    const response = await fetch(`${api}/version`);
    if (!response.ok) throw new Error(`toxiproxy answered ${response.status}`);
  }, 10_000, 50);

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`toxiproxy ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }

  return {
    async proxy(name, upstream) {
      const port = await freePort();
      await call("POST", "/proxies", { name, listen: `127.0.0.1:${port}`, upstream: `${upstream.host}:${upstream.port}`, enabled: true });
      const removeToxics = async () => {
        const toxics = (await call("GET", `/proxies/${name}/toxics`)) as Array<{ name: string }>;
        for (const toxic of toxics) await call("DELETE", `/proxies/${name}/toxics/${toxic.name}`);
      };
      return {
        name,
        port,
        async slow(latencyMs) {
          await removeToxics();
          await call("POST", `/proxies/${name}/toxics`, { name: "slow", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: latencyMs, jitter: 0 } });
        },
        async disable() {
          await call("POST", `/proxies/${name}`, { enabled: false });
        },
        async reset() {
          await removeToxics();
          await call("POST", `/proxies/${name}`, { enabled: true });
        },
      };
    },
    async close() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
