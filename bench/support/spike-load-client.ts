/**
 * The load of bench/onsale-spike.ts, in a process of its own: many simulated buyers
 * (spike-buyer.ts), each arriving at its planned moment around the on-sale, through the edge over
 * Connect (binary, HTTP/1.1, no Connect compression: what @connectrpc/connect-web sends through
 * an ingress). Reads its job on stdin as two JSON lines: its buyers (it prints {"ready":…} once
 * their tokens are minted), then the event and its on-sale time, which the bench sets only then;
 * prints {"done":…} once every buyer has finished and its figures are written to the result file.
 */
import { writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { runBuyer, type BuyerContext } from "./spike-buyer.js";
import type { PlannedBuyer } from "./spike-buyers.js";
import { createRecorder } from "./spike-recorder.js";

export interface SpikeJob {
  edgeUrl: string;
  queue: boolean;
  buyers: PlannedBuyer[];
  wait: "watch" | "poll";
  pollSeconds: number;
  reserveAttempts: number;
  patienceSeconds: number;
  maxSeconds: number;
  auth: { devSecret: string; issuer: string; audience: string };
  resultFile: string;
}

/** The second line: what the buyers come for, and when. */
export interface SpikeStart {
  eventId: string;
  onSaleAtMs: number;
  ticketIds: string[];
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const nextLine = async () => {
  const { value, done } = await lines.next();
  if (done) throw new Error("the bench closed stdin before the job was whole");
  return JSON.parse(value as string) as unknown;
};
const job = (await nextLine()) as SpikeJob;

// Unary calls share a pool of kept-alive connections, as an ingress in front of the edge keeps for
// all its browsers (calls beyond it wait their turn, as they would there); streams each hold one
// of their own for as long as they are open. Thousands of fresh connections at once would
// overflow the edge's accept backlog and wait out TCP's SYN retries (1 s, 3 s, 7 s, …) instead.
const UNARY_SOCKETS = 128;
const unaryAgent = new Agent({ keepAlive: true, maxSockets: UNARY_SOCKETS });
const streamAgent = new Agent({ keepAlive: true });
const transport = (agent: Agent) => createConnectTransport({ baseUrl: job.edgeUrl, httpVersion: "1.1", useBinaryFormat: true, acceptCompression: [], nodeOptions: { agent } });
const unary = transport(unaryAgent);
const clients = {
  queue: createClient(QueueService, unary),
  queueStream: createClient(QueueService, transport(streamAgent)),
  catalog: createClient(CatalogService, unary),
  booking: createClient(BookingService, unary),
};

const issue = createDevTokenIssuer({ mode: "dev", devSecret: job.auth.devSecret, issuer: job.auth.issuer, audience: job.auth.audience });
const tokens = await Promise.all(job.buyers.map((buyer) => issue(buyer.userId)));
console.log(JSON.stringify({ ready: job.buyers.length }));
const start = (await nextLine()) as SpikeStart;
const recorder = createRecorder();
const giveUpAtMs = start.onSaleAtMs + job.maxSeconds * 1000;
const context: BuyerContext = {
  clients,
  recorder,
  eventId: start.eventId,
  ticketIds: start.ticketIds,
  onSaleAtMs: start.onSaleAtMs,
  queue: job.queue,
  wait: job.wait,
  pollSeconds: job.pollSeconds,
  reserveAttempts: job.reserveAttempts,
  patienceSeconds: job.patienceSeconds,
  giveUpAtMs,
};

const running: Array<Promise<void>> = [];
const epochNow = () => performance.timeOrigin + performance.now();
for (let index = 0; index < job.buyers.length; index++) {
  const buyer = job.buyers[index]!;
  // Without a waiting room, whoever came early sat on the page and tried the moment sales opened.
  const arrivalMs = job.queue ? buyer.arrivalMs : Math.max(buyer.arrivalMs, (buyer.seed % 1000) / 2);
  const wait = start.onSaleAtMs + arrivalMs - epochNow();
  if (wait > 1) await sleep(wait);
  running.push(runBuyer(context, buyer, tokens[index]!));
}
await Promise.all(running);
writeFileSync(job.resultFile, JSON.stringify(recorder.data));
console.log(JSON.stringify({ done: recorder.data.buyers.length }));
unaryAgent.destroy();
streamAgent.destroy();
process.exit(0);
