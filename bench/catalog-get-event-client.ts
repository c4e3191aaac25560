/**
 * The load generator of catalog-get-event.ts, in its own process: decoding 5 MB responses is
 * the client's work and must not be counted as the server's. Modes take turns, round by round,
 * so that a machine whose load drifts during the run (other jobs share it) treats them alike.
 * Each mode's turn lasts its share of the time budget and takes at least its share of the
 * minimum sample count, whichever ends later, so p99 is a percentile and not just the slowest
 * request. Reports one summary per mode over IPC.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
import { summarize, type Summary } from "./bench-stats.js";

export interface ClientJob {
  eventId: string;
  /** mode → base URL of the server running it */
  targets: Record<string, string>;
  rounds: number;
  /** Per mode and round: keep sending until both are reached. */
  secondsPerRound: number;
  minSamplesPerRound: number;
  concurrency: number;
}

const job = JSON.parse(process.argv[2]!) as ClientJob;
const clients = Object.entries(job.targets).map(([mode, baseUrl]) => ({
  mode,
  // Like every connect-es client, it accepts gzip unless told otherwise; BENCH_GZIP=0 shows what compressing costs.
  client: createClient(CatalogService, createGrpcTransport({ baseUrl, ...(process.env.BENCH_GZIP === "0" ? { acceptCompression: [] } : {}) })),
  samples: [] as number[],
  wallMs: 0,
}));

// Warm up: connections, JIT, and the cache of the modes that have one.
for (const { client } of clients) for (let i = 0; i < 3; i++) await client.getEvent({ eventId: job.eventId });

for (let round = 0; round < job.rounds; round++) {
  for (const target of clients) {
    const samples: number[] = [];
    const started = performance.now();
    const deadline = started + job.secondsPerRound * 1_000;
    let sent = 0;
    const more = () => performance.now() < deadline || sent < job.minSamplesPerRound;
    await Promise.all(
      Array.from({ length: job.concurrency }, async () => {
        while (more()) {
          sent++;
          const t0 = performance.now();
          const response = await target.client.getEvent({ eventId: job.eventId });
          samples.push(performance.now() - t0);
          if (response.tickets.length === 0) throw new Error("no tickets");
        }
      }),
    );
    target.wallMs += performance.now() - started;
    target.samples.push(...samples);
  }
}

const summaries: Record<string, Summary> = Object.fromEntries(clients.map((c) => [c.mode, summarize(c.samples, c.wallMs)]));
process.send!(summaries);
