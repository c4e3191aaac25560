import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { dataFrame, knownFrame } from "../../shared/streams/message-frames.js";

/**
 * One message sent to many browser streams, encoded once. `frame` is its data frame (Connect
 * streams and gRPC-Web share the format), the very Buffer every binary stream of the edge's
 * framed path writes (edge/streams/framed-server-stream.ts). `binary` is a stand-in for streams
 * served by connect-es itself, which encodes every message it sends once per stream: its
 * encoding is a copy of the bytes encoded here, as protobuf-es writes a message's unknown fields
 * back verbatim, so the whole encoding after its first tag rides as the first field's unknown
 * value. The stand-in is known to framedOnce, so a framed stream handed it writes `frame`. JSON
 * streams take `message` (JSON drops unknown fields).
 */
export class SharedMessage<Desc extends DescMessage> {
  private encoding: Uint8Array | undefined;
  private framed: Buffer | undefined;
  private standIn: MessageShape<Desc> | undefined;

  constructor(
    private readonly schema: Desc,
    readonly message: MessageShape<Desc>,
  ) {}

  /** The protobuf encoding, made on first use. */
  get bytes(): Uint8Array {
    return (this.encoding ??= toBinary(this.schema, this.message));
  }

  /** The data frame of the encoding, made on first use: the same Buffer for every stream. */
  get frame(): Buffer {
    return (this.framed ??= dataFrame(this.bytes));
  }

  get binary(): MessageShape<Desc> {
    if (!this.standIn) {
      this.standIn = preEncoded(this.schema, this.bytes);
      knownFrame(this.standIn, this.frame);
    }
    return this.standIn;
  }
}

/** A message of the schema whose binary encoding is exactly `bytes`. */
export function preEncoded<Desc extends DescMessage>(schema: Desc, bytes: Uint8Array): MessageShape<Desc> {
  const message = create(schema);
  if (bytes.length === 0) return message;
  const reader = new BinaryReader(bytes);
  const [no, wireType] = reader.tag();
  (message as { $unknown?: unknown }).$unknown = [{ no, wireType, data: bytes.subarray(reader.pos) }];
  return message;
}
