/**
 * The load of bench/watchers-bench.ts, in a process of its own: N browsers watching one event
 * through the edge (Connect, binary, HTTP/1.1: what @connectrpc/connect-web sends through the
 * ingress), opened at a steady rate, then a writer that reserves and releases seats through the
 * edge while every watcher notes when each change reaches it. Prints {"opened":…} once every
 * watcher has its snapshot, and its figures as the last JSON line.
 */
import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { withBearer } from "../../test/edge/connect-test-clients.js";

export interface WatchersJob {
  base: string;
  eventId: string;
  watchers: number;
  openPerSecond: number;
  /** How long the writer changes seats. */
  seconds: number;
  changesPerSecond: number;
  /** Seats the writer reserves and releases, one at a time, in order. */
  ticketIds: string[];
  buyerToken: string;
}

export interface WatchersResult {
  opened: number;
  failed: number;
  openSeconds: number;
  changes: number;
  /** Deliveries expected (watchers × changes) and made. */
  expected: number;
  delivered: number;
  /** Watchers sent a fresh snapshot because they fell behind. */
  resyncs: number;
  deliveryP50Ms: number;
  deliveryP99Ms: number;
  errors: string[];
}

const job = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as WatchersJob;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// connect-web asks for no Connect compression (the browser's HTTP layer does that), so neither
// do these: connect-node's default gzip would cost the edge a compression per stream.
const transport = createConnectTransport({ baseUrl: job.base, httpVersion: "1.1", useBinaryFormat: true, acceptCompression: [] });
const catalog = createClient(CatalogService, transport);
const booking = createClient(BookingService, createConnectTransport({ baseUrl: job.base, httpVersion: "1.1", interceptors: [withBearer(job.buyerToken)] }));

/** When the writer sent each change ("ticket:status"), performance.now(). */
/**
 * Each ticket's changes as the writer sent them, in order. The feed tells state, not history: a
 * seat reserved and released within one coalescing window reaches watchers as released, and
 * seeing a ticket's status delivers every change of that ticket up to it, each timed from when
 * it was sent.
 */
const sent = new Map<string, Array<{ status: TicketStatus; at: number }>>();
function send(ticketId: string, status: TicketStatus) {
  let changes = sent.get(ticketId);
  if (!changes) sent.set(ticketId, (changes = []));
  changes.push({ status, at: performance.now() });
}
const latencies: number[] = [];
const errors = new Set<string>();
let opened = 0;
let failed = 0;
let resyncs = 0;
const controller = new AbortController();
// Every watcher listens on this one signal.
setMaxListeners(0, controller.signal);

async function watcher(onOpen: () => void) {
  let first = true;
  /** Per ticket, how many of its sent changes this watcher has been told of. */
  const seen = new Map<string, number>();
  try {
    for await (const message of catalog.watchEventTickets({ eventId: job.eventId }, { signal: controller.signal })) {
      const now = performance.now();
      if (message.snapshot) {
        if (first) onOpen();
        else resyncs += 1;
        first = false;
        continue;
      }
      for (const { ticketId, status } of message.changes) {
        const changes = sent.get(ticketId);
        if (!changes) continue;
        let upTo = changes.length - 1;
        while (upTo >= 0 && changes[upTo]!.status !== status) upTo -= 1;
        for (let i = seen.get(ticketId) ?? 0; i <= upTo; i++) latencies.push(now - changes[i]!.at);
        if (upTo >= 0) seen.set(ticketId, Math.max(seen.get(ticketId) ?? 0, upTo + 1));
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      failed += 1;
      errors.add(String(error).slice(0, 200));
    }
  }
}

async function main() {
  const started = performance.now();
  let allOpen!: () => void;
  const everyoneOpen = new Promise<void>((resolve) => (allOpen = resolve));
  const onOpen = () => {
    opened += 1;
    if (opened + failed >= job.watchers) allOpen();
  };
  const running: Array<Promise<void>> = [];
  for (let i = 0; i < job.watchers; i++) {
    const due = started + (i * 1000) / job.openPerSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    running.push(watcher(onOpen).finally(() => opened + failed >= job.watchers && allOpen()));
  }
  await Promise.race([everyoneOpen, sleep(60_000)]);
  const openSeconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ opened, openSeconds }));

  // The writer: reserve one seat, release the one before; each is one change every watcher should see.
  let changes = 0;
  let previous: string | undefined;
  const interval = 1000 / job.changesPerSecond;
  const writerEnds = performance.now() + job.seconds * 1000;
  for (let k = 0; performance.now() < writerEnds && k < job.ticketIds.length; k++) {
    const ticketId = job.ticketIds[k]!;
    const t0 = performance.now();
    send(ticketId, TicketStatus.RESERVED);
    try {
      const { reservation } = await booking.reserveTickets({ eventId: job.eventId, ticketIds: [ticketId] });
      changes += 1;
      if (previous) {
        const [releasedTicket, reservationId] = previous.split("/") as [string, string];
        send(releasedTicket, TicketStatus.AVAILABLE);
        await booking.releaseReservation({ reservationId });
        changes += 1;
      }
      previous = `${ticketId}/${reservation!.id}`;
    } catch (error) {
      errors.add(`writer: ${String(error).slice(0, 200)}`);
    }
    const rest = t0 + 2 * interval - performance.now();
    if (rest > 0) await sleep(rest);
  }
  if (previous) {
    const [releasedTicket, reservationId] = previous.split("/") as [string, string];
    send(releasedTicket, TicketStatus.AVAILABLE);
    await booking.releaseReservation({ reservationId }).then(() => (changes += 1), (error: unknown) => errors.add(`writer: ${String(error).slice(0, 200)}`));
  }
  // What has not arrived a few seconds after the last change is counted as never delivered.
  await sleep(3_000);
  controller.abort();
  await Promise.all(running);

  const expected = opened * changes;
  const sorted = latencies.sort((a, b) => a - b);
  // Deliveries that never came count as the slowest: the p99 cannot hide them.
  const at = (q: number) => {
    const index = Math.floor(q * expected);
    return index < sorted.length ? sorted[index]! : Number.POSITIVE_INFINITY;
  };
  const result: WatchersResult = {
    opened,
    failed,
    openSeconds,
    changes,
    expected,
    delivered: sorted.length,
    resyncs,
    deliveryP50Ms: at(0.5),
    deliveryP99Ms: at(0.99),
    errors: [...errors].slice(0, 5),
  };
  console.log(JSON.stringify(result));
}

await main();
process.exit(0);
