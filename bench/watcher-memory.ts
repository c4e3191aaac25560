/**
 * What one live seat map costs the edge in memory: the real edge (createEdge) in front of a fake
 * catalog whose event has 2,400 tickets, N binary Connect watchers opened from a child process
 * (bench/support/raw-watchers.ts), and the edge process's memory after a full GC before and once
 * every watcher has its snapshot. Run with --expose-gc:
 *
 *   node --expose-gc --import tsx bench/watcher-memory.ts [N=2000]
 */
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { WatchEventTicketsResponseSchema } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../gen/boxoffice/common/v1/event_pb.js";
import { startEdgeWithFakes } from "../test/edge/fake-upstream-edge.js";

const watchers = Number(process.argv[2] ?? 2_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

const tickets = Array.from({ length: 2_400 }, () => randomUUID());
const edge = await startEdgeWithFakes(
  {
    catalog: {
      async *watchEventTickets(_request: unknown, context: { signal: AbortSignal }) {
        yield create(WatchEventTicketsResponseSchema, { snapshot: true, changes: tickets.map((ticketId) => ({ ticketId, status: TicketStatus.AVAILABLE })) });
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
      },
    } as never,
  },
  { streamCaps: { perIp: 1_000_000, perUser: 1_000_000 }, rateLimits: { perIp: 1e9, perUser: 1e9, windowMs: 60_000 } },
);

function usage() {
  gc!();
  return process.memoryUsage();
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kbEach = (bytes: number) => `${(bytes / watchers / 1024).toFixed(1)} kB`;

const idle = usage();
const clients = fork("bench/support/raw-watchers.ts", [edge.base, String(watchers)], { execArgv: ["--import", "tsx"] });
await new Promise<void>((resolve) => clients.once("message", () => resolve()));
// Let the last snapshots' writes drain.
await new Promise((resolve) => setTimeout(resolve, 2_000));
const open = usage();
console.log(`edge, idle: RSS ${mb(idle.rss)}, heap ${mb(idle.heapUsed)}, external ${mb(idle.external)}`);
console.log(`edge, ${watchers} watchers: RSS ${mb(open.rss)}, heap ${mb(open.heapUsed)}, external ${mb(open.external)}`);
console.log(`per watcher: RSS ${kbEach(open.rss - idle.rss)}, heap ${kbEach(open.heapUsed - idle.heapUsed)}, external ${kbEach(open.external - idle.external)}`);
clients.kill();
await edge.close();
process.exit(0);
