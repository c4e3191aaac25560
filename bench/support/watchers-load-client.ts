/**
 * The load of bench/watchers-bench.ts, in a process of its own: N browsers watching one event
 * through the edge (Connect, binary, HTTP/1.1: what @connectrpc/connect-web sends through the
 * ingress), opened at a steady rate, then a writer that reserves and releases seats through the
 * edge while every watcher notes when each change reaches it. Prints {"opened":…} once every
 * watcher has its snapshot, and its figures as the last JSON line.
 */
import { readFileSync } from "node:fs";
import { Agent, request, type ClientRequest } from "node:http";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import {
  CatalogService,
  WatchEventTicketsRequestSchema,
  WatchEventTicketsResponseSchema,
  type WatchEventTicketsResponse,
} from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
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
  /** Share of the time this process's event loop was busy while the writer ran: near 1, its own delays are in the delivery figures. */
  clientLoopBusy: number;
  errors: string[];
}

const job = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as WatchersJob;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
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
/** The watchers' requests, ended together when the run ends (one listener, not one per request). */
const watching = new Set<ClientRequest>();
controller.signal.addEventListener("abort", () => {
  for (const call of watching) call.destroy();
});

/** The Connect framing of a stream message: flags, big-endian length, the bytes. */
function envelope(flags: number, data: Uint8Array): Buffer {
  const frame = Buffer.alloc(data.length + 5);
  frame[0] = flags;
  frame.writeUInt32BE(data.length, 1);
  frame.set(data, 5);
  return frame;
}

const WATCH_URL = `${job.base}/${CatalogService.typeName}/${CatalogService.method.watchEventTickets.name}`;
const watchRequest = envelope(0, toBinary(WatchEventTicketsRequestSchema, create(WatchEventTicketsRequestSchema, { eventId: job.eventId })));
const watchAgent = new Agent({ keepAlive: true });
const END_STREAM = 0b10;

/** Whether a WatchEventTicketsResponse's encoding says snapshot (field 1) without decoding it: top-level fields are skipped, not read. */
function isSnapshot(data: Uint8Array): boolean {
  let pos = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = data[pos++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (pos < data.length) {
    const tag = varint();
    const [field, wireType] = [Math.floor(tag / 8), tag & 7];
    if (field === 1 && wireType === 0) return varint() !== 0;
    if (wireType === 0) varint();
    else if (wireType === 2) {
      const length = varint();
      pos += length;
    }
    else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else throw new Error(`unexpected wire type ${wireType}`);
  }
  return false;
}

/** Change messages decoded once per distinct encoding: every watcher is sent the same bytes. */
const decodedChanges = new Map<string, WatchEventTicketsResponse["changes"]>();
function changesOf(data: Buffer): WatchEventTicketsResponse["changes"] {
  const key = data.toString("latin1");
  let changes = decodedChanges.get(key);
  if (!changes) {
    changes = fromBinary(WatchEventTicketsResponseSchema, data).changes;
    if (decodedChanges.size > 1_000) decodedChanges.clear();
    decodedChanges.set(key, changes);
  }
  return changes;
}

/**
 * One browser's watch: a binary Connect stream over HTTP/1.1, as connect-web opens it through
 * the ingress, read frame by frame. connect-es's client decoded every 2,400-ticket snapshot into
 * objects: at 5,000 watchers that kept this process 98% busy, its own delay in the delivery
 * figures. Here a snapshot is recognised without decoding it, and a change message (the same
 * bytes to every watcher) is decoded once.
 */
function watcher(onOpen: () => void): Promise<void> {
  let first = true;
  /** Per ticket, how many of its sent changes this watcher has been told of. */
  const seen = new Map<string, number>();
  const onMessage = (data: Buffer, now: number) => {
    if (isSnapshot(data)) {
      if (first) onOpen();
      else resyncs += 1;
      first = false;
      return;
    }
    for (const { ticketId, status } of changesOf(data)) {
      const changes = sent.get(ticketId);
      if (!changes) continue;
      let upTo = changes.length - 1;
      while (upTo >= 0 && changes[upTo]!.status !== status) upTo -= 1;
      for (let i = seen.get(ticketId) ?? 0; i <= upTo; i++) latencies.push(now - changes[i]!.at);
      if (upTo >= 0) seen.set(ticketId, Math.max(seen.get(ticketId) ?? 0, upTo + 1));
    }
  };
  return new Promise<void>((resolve) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      if (!controller.signal.aborted) {
        failed += 1;
        errors.add(why.slice(0, 200));
      }
      resolve();
    };
    const call = request(
      WATCH_URL,
      {
        method: "POST",
        agent: watchAgent,
        headers: { "content-type": "application/connect+proto", "connect-protocol-version": "1", "content-length": watchRequest.length },
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return fail(`HTTP ${response.statusCode}`);
        }
        let pending: Buffer | undefined;
        response.on("data", (chunk: Buffer) => {
          const now = performance.now();
          const buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
          let offset = 0;
          while (buffer.length - offset >= 5) {
            const length = buffer.readUInt32BE(offset + 1);
            if (buffer.length - offset < 5 + length) break;
            const flags = buffer[offset]!;
            const data = buffer.subarray(offset + 5, offset + 5 + length);
            offset += 5 + length;
            if (flags & END_STREAM) {
              const end = JSON.parse(data.toString("utf8")) as { error?: { code?: string; message?: string } };
              if (end.error) fail(`ConnectError: [${end.error.code}] ${end.error.message}`);
            } else {
              onMessage(data, now);
            }
          }
          pending = offset < buffer.length ? buffer.subarray(offset) : undefined;
        });
        response.on("end", () => {
          if (!controller.signal.aborted) fail("the stream ended");
          settled = true;
          resolve();
        });
        response.on("error", (error) => fail(String(error)));
      },
    );
    watching.add(call);
    call.on("close", () => {
      watching.delete(call);
      fail("the connection closed");
    });
    call.on("error", (error) => fail(String(error)));
    call.end(watchRequest);
  });
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
  const loopBefore = performance.eventLoopUtilization();
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
  const clientLoopBusy = performance.eventLoopUtilization(loopBefore).utilization;
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
    clientLoopBusy,
    errors: [...errors].slice(0, 5),
  };
  console.log(JSON.stringify(result));
}

await main();
process.exit(0);
