import { request, type IncomingMessage } from "node:http";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  CatalogService,
  WatchEventTicketsRequestSchema,
  WatchEventTicketsResponseSchema,
  type WatchEventTicketsResponse,
} from "../../gen/boxoffice/catalog/v1/catalog_pb.js";

export type StreamProtocol = "connect" | "grpc-web";

/** One frame of a stream as it came over the wire. */
export interface RawFrame {
  flags: number;
  /** The whole frame, flags and length included. */
  bytes: Buffer;
  data: Buffer;
}

export const isEndFrame = (frame: RawFrame) => (frame.flags & 0b10) !== 0 || (frame.flags & 0x80) !== 0;
export const messageOf = (frame: RawFrame): WatchEventTicketsResponse => fromBinary(WatchEventTicketsResponseSchema, frame.data);

/**
 * A browser's WatchEventTickets as raw HTTP/1.1: the frames exactly as the edge wrote them, and
 * control over reading (a paused response stops reading its socket, as a stalled browser would).
 */
export function rawWatch(base: string, eventId: string, protocol: StreamProtocol = "connect", options: { compact?: boolean; paused?: boolean } = {}) {
  const body = toBinary(WatchEventTicketsRequestSchema, create(WatchEventTicketsRequestSchema, { eventId, compact: options.compact ?? false }));
  const frame = Buffer.alloc(body.length + 5);
  frame.writeUInt32BE(body.length, 1);
  frame.set(body, 5);
  const frames: RawFrame[] = [];
  let waiters: Array<() => void> = [];
  let pending: Buffer = Buffer.alloc(0);
  let received = 0;
  /** The first bytes of the body: the first frame's flags and length. */
  let head: Buffer = Buffer.alloc(0);
  let ended = false;
  const notify = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const call = request(`${base}/${CatalogService.typeName}/WatchEventTickets`, {
    method: "POST",
    headers:
      protocol === "connect"
        ? { "content-type": "application/connect+proto", "connect-protocol-version": "1" }
        : { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
  });
  let reading = false;
  const read = (incoming: IncomingMessage) => {
    if (reading) return incoming.resume();
    reading = true;
    incoming.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (head.length < 5) head = Buffer.concat([head, chunk]).subarray(0, 5);
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
        const length = pending.readUInt32BE(1);
        const bytes = pending.subarray(0, 5 + length);
        frames.push({ flags: bytes[0]!, bytes, data: bytes.subarray(5) });
        pending = pending.subarray(5 + length);
      }
      notify();
    });
  };
  const opened = new Promise<IncomingMessage>((resolve, reject) => {
    call.on("response", (incoming) => {

      // Paused: nothing reads the body, so the socket's buffers fill, as a stalled browser's would.
      if (!options.paused) read(incoming);
      resolve(incoming);
    });
    call.on("error", reject);
  });
  const closed = new Promise<void>((resolve) => {
    call.on("close", () => {
      ended = true;
      notify();
      resolve();
    });
  });
  call.on("error", () => undefined);
  call.end(frame);
  return {
    frames,
    opened,
    /** Resolves once `count` frames have come (or the connection closed). */
    async frameCount(count: number): Promise<RawFrame[]> {
      while (frames.length < count && !ended) await new Promise<void>((resolve) => waiters.push(resolve));
      if (frames.length < count) throw new Error(`the stream closed after ${frames.length} frames, before ${count}`);
      return frames.slice(0, count);
    },
    /** The first frame's flags and length, as soon as its first bytes come (a large frame need not be read whole). */
    async firstFrameHeader(): Promise<{ flags: number; length: number }> {
      while (head.length < 5 && !ended) await new Promise<void>((resolve) => waiters.push(resolve));
      if (head.length < 5) throw new Error(`the stream closed after ${received} bytes`);
      return { flags: head[0]!, length: head.readUInt32BE(1) };
    },
    /** Reads on (or starts reading, if opened paused). */
    async resume() {
      read(await opened);
    },
    closed,
    close() {
      call.destroy();
    },
  };
}
