import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";

/**
 * One message sent to many browser streams. Connect encodes every message it sends, once per
 * stream; `binary` is a stand-in whose encoding is a copy of bytes encoded here once: protobuf-es
 * writes a message's unknown fields back verbatim, so the whole encoding after its first tag
 * rides as the first field's unknown value. JSON streams take `message` (JSON drops unknown
 * fields).
 */
export class SharedMessage<Desc extends DescMessage> {
  private encoded: MessageShape<Desc> | undefined;

  constructor(
    private readonly schema: Desc,
    readonly message: MessageShape<Desc>,
  ) {}

  get binary(): MessageShape<Desc> {
    return (this.encoded ??= preEncoded(this.schema, toBinary(this.schema, this.message)));
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
