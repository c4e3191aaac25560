import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * Ports are drawn below the kernel's ephemeral range: a port the kernel picks for `listen(0)`
 * comes from the same range as every outgoing connection's local port, so between handing it
 * out and the process binding it, any client socket on the machine could take it (a chaos run's
 * indexer met EADDRINUSE that way while the whole suite ran in parallel).
 */
const EPHEMERAL_LOW = (() => {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
})();
const LOW = Math.min(20_000, EPHEMERAL_LOW - 2_000);
const HIGH = EPHEMERAL_LOW;
/** Never the same port twice from one process, though its first user may not have bound it yet. */
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    // 0.0.0.0: a port any interface already uses is not free for a service that binds them all.
    server.listen({ port, host: "0.0.0.0", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now, outside the ephemeral range, for a process about to bind it. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found between ${LOW} and ${HIGH}`);
}
