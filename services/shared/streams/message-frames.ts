import { toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";

/** Envelope flags of a data frame: neither compressed nor the end of the stream. */
const DATA_FLAGS = 0;

/**
 * A message's data frame as Connect streams and gRPC-Web both put it on the wire: one flags byte,
 * the length as a big-endian uint32, the protobuf encoding. One Buffer of its own (not a slice of
 * Node's shared pool), as it may be held by thousands of sockets' write queues.
 */
export function dataFrame(encoding: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafeSlow(encoding.length + 5);
  frame[0] = DATA_FLAGS;
  frame.writeUInt32BE(encoding.length, 1);
  frame.set(encoding, 5);
  return frame;
}

/** Frames by message object: a message written to many streams is framed once, and every stream writes the same bytes. */
const frames = new WeakMap<object, Buffer>();

/** The data frame of a message, built the first time any stream asks for it. */
export function framedOnce<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Buffer {
  let frame = frames.get(message);
  if (!frame) frames.set(message, (frame = dataFrame(toBinary(schema, message))));
  return frame;
}

/** Tells framedOnce the frame of a message whose encoding is already known (so it is not encoded again). */
export function knownFrame(message: object, frame: Buffer): void {
  frames.set(message, frame);
}
