import { join } from "node:path";
import { toxiproxyBinary } from "../test/support/toxiproxy.js";
import { freePort } from "../test/support/free-port.js";
import { ManagedProcess } from "./managed-process.js";

/**
 * The chaos run's network: one Toxiproxy server of the run's own (scripts/toxiproxy/install.sh
 * builds it) with a proxy in front of PostgreSQL, one in front of each Redis master and, in a run
 * with a search engine, one in front of the engine (chaos/search-stack.ts). Every service, the
 * indexer too, reaches them through the proxies; the checker, the snapshot and the readiness
 * checks go straight to the servers, so a network fault never touches what judges the run.
 */
export interface Link {
  /** The proxy's name, e.g. "redis-1", "postgres" or "search-engine". */
  name: string;
  /** Where the services connect: 127.0.0.1:port. */
  port: number;
  upstreamPort: number;
}

export type PartitionStyle = "held" | "cut" | "refused";

export interface ChaosNetwork {
  server: ManagedProcess;
  links: Map<string, Link>;
  link(name: string): Link;
  /** Every answer from upstream arrives `latencyMs` ± `jitterMs` later; the connection stays up. */
  slow(name: string, latencyMs: number, jitterMs: number): Promise<void>;
  /**
   * Nothing gets through either way and no connection is closed: requests hang as behind a
   * partition. `held`: what is sent meanwhile is delivered when the link heals, as TCP's
   * retransmissions would deliver it after a short partition (a latency toxic of an hour, which
   * Toxiproxy flushes when it is removed). `cut`: it is dropped, and every connection through
   * the link is closed when it heals (Toxiproxy's `timeout` toxic, which closes them on removal;
   * heal resets them too), as when a peer lost its state, so no connection that lost bytes
   * mid-stream carries on; ioredis then sends again the commands left unanswered. `refused`:
   * the proxy is disabled, every connection through it closed and new ones refused, as a
   * firewall that rejects; nothing sent is delivered later.
   */
  partition(name: string, style: PartitionStyle): Promise<void>;
  /** Toxics off; `resetConnections` closes every connection through the link first. */
  heal(name: string, options?: { resetConnections?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

async function untilAnswering(api: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${api}/version`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`toxiproxy did not answer at ${api} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A server behind a link: on 127.0.0.1 unless `host` says otherwise (the shared search engine may live elsewhere). */
export interface Upstream {
  name: string;
  port: number;
  host?: string;
}

export async function startNetwork(runDir: string, upstreams: Upstream[]): Promise<ChaosNetwork> {
  const apiPort = await freePort();
  const api = `http://127.0.0.1:${apiPort}`;
  const server = new ManagedProcess("toxiproxy", toxiproxyBinary(), ["-host", "127.0.0.1", "-port", String(apiPort)], {
    cwd: runDir,
    env: { PATH: process.env.PATH ?? "" },
    log: join(runDir, "logs", "toxiproxy.log"),
    ready: () => untilAnswering(api),
  });
  await server.start();

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`toxiproxy ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }

  const links = new Map<string, Link>();
  try {
    for (const upstream of upstreams) {
      const port = await freePort();
      await call("POST", "/proxies", { name: upstream.name, listen: `127.0.0.1:${port}`, upstream: `${upstream.host ?? "127.0.0.1"}:${upstream.port}`, enabled: true });
      links.set(upstream.name, { name: upstream.name, port, upstreamPort: upstream.port });
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  const link = (name: string) => {
    const found = links.get(name);
    if (!found) throw new Error(`no link named ${name} (have ${[...links.keys()].join(", ")})`);
    return found;
  };
  const removeToxics = async (name: string) => {
    const toxics = (await call("GET", `/proxies/${name}/toxics`)) as Array<{ name: string }>;
    for (const toxic of toxics) await call("DELETE", `/proxies/${name}/toxics/${toxic.name}`);
  };

  return {
    server,
    links,
    link,
    async slow(name, latencyMs, jitterMs) {
      link(name);
      await removeToxics(name);
      await call("POST", `/proxies/${name}/toxics`, { name: "slow", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: latencyMs, jitter: jitterMs } });
    },
    async partition(name, style) {
      link(name);
      await removeToxics(name);
      if (style === "refused") {
        await call("POST", `/proxies/${name}`, { enabled: false });
        return;
      }
      for (const stream of ["upstream", "downstream"]) {
        const toxic = style === "cut" ? { type: "timeout", attributes: { timeout: 0 } } : { type: "latency", attributes: { latency: 3_600_000, jitter: 0 } };
        await call("POST", `/proxies/${name}/toxics`, { name: `partition-${stream}`, stream, toxicity: 1, ...toxic });
      }
    },
    async heal(name, options = {}) {
      link(name);
      if (options.resetConnections) await call("POST", `/proxies/${name}`, { enabled: false });
      await removeToxics(name);
      await call("POST", `/proxies/${name}`, { enabled: true });
    },
    async stop() {
      await server.stop();
    },
  };
}
