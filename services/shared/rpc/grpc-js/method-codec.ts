import { fromBinary, toBinary, type DescMessage, type DescMethod } from "@bufbuild/protobuf";

/** A request body that is not a valid message of its type: the caller's fault, not ours. */
export class MalformedMessage {
  constructor(readonly reason: string) {}
}

export interface MethodCodec {
  path: string;
  serializeInput(message: object): Buffer;
  deserializeInput(bytes: Buffer): object;
  serializeOutput(message: object): Buffer;
  /** serializeOutput, encoding each message object once: a server stream's watchers share their messages. */
  serializeSharedOutput(message: object): Buffer;
  deserializeOutput(bytes: Buffer): object;
}

const cache = new WeakMap<DescMethod, MethodCodec>();

function encodedOnce(serialize: (message: object) => Buffer) {
  const encoded = new WeakMap<object, Buffer>();
  return (message: object) => {
    let bytes = encoded.get(message);
    if (!bytes) encoded.set(message, (bytes = serialize(message)));
    return bytes;
  };
}

function serializer(schema: DescMessage) {
  return (message: object) => {
    const bytes = toBinary(schema, message as never);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(schema: DescMessage) {
  return (bytes: Buffer): object => {
    try {
      return fromBinary(schema, bytes);
    } catch (error) {
      // grpc-js would answer a throwing deserializer with INTERNAL; the handler answers INVALID_ARGUMENT instead.
      return new MalformedMessage(error instanceof Error ? error.message : String(error));
    }
  };
}

/** protobuf-es binary encoding of a method's messages, as grpc-js wants it, built once per method. */
export function methodCodec(method: DescMethod): MethodCodec {
  let codec = cache.get(method);
  if (!codec) {
    const serializeOutput = serializer(method.output);
    codec = {
      path: `/${method.parent.typeName}/${method.name}`,
      serializeInput: serializer(method.input),
      deserializeInput: deserializer(method.input),
      serializeOutput,
      serializeSharedOutput: encodedOnce(serializeOutput),
      deserializeOutput: deserializer(method.output),
    };
    cache.set(method, codec);
  }
  return codec;
}
