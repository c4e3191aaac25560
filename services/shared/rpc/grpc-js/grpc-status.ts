import * as grpc from "@grpc/grpc-js";
import { Code, ConnectError, decodeBinaryHeader, encodeBinaryHeader } from "@connectrpc/connect";
import { findTrailerError, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";

// gRPC's reserved keys travel as the status itself, never as metadata a handler sees or sets.
const RESERVED = new Set(["grpc-status", "grpc-message", "grpc-status-details-bin", "content-type", "te", "user-agent", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding"]);

/**
 * grpc-js metadata as the Headers connect-es interceptors and handlers read; binary (-bin)
 * values in base64, as connect-es's own gRPC transport hands them over.
 */
export function headersFromMetadata(metadata: grpc.Metadata | undefined): [string, string][] {
  const pairs: [string, string][] = [];
  if (!metadata) return pairs;
  const map = metadata.getMap();
  for (const key in map) {
    if (RESERVED.has(key)) continue;
    const value = map[key]!;
    pairs.push([key, typeof value === "string" ? value : encodeBinaryHeader(value)]);
  }
  return pairs;
}

export function metadataFromHeaders(headers: Headers | undefined, into = new grpc.Metadata()): grpc.Metadata {
  headers?.forEach((value, key) => {
    if (RESERVED.has(key)) return;
    if (key.endsWith("-bin")) into.set(key, Buffer.from(decodeBinaryHeader(value)));
    else into.set(key, value);
  });
  return into;
}

/**
 * A thrown error as the gRPC status grpc-js sends: the code, the message, the error's metadata
 * and its details in grpc-status-details-bin (google.rpc.Status), exactly what connect-es's
 * gRPC server puts in its trailers, so a refusal's field violations reach the edge intact.
 */
export function statusFromError(error: unknown): grpc.StatusObject {
  const connectError = ConnectError.from(error);
  const metadata = metadataFromHeaders(connectError.metadata);
  if (connectError.details.length > 0) {
    const trailer = new Headers();
    setTrailerStatus(trailer, connectError);
    const details = trailer.get("grpc-status-details-bin");
    if (details) metadata.set("grpc-status-details-bin", Buffer.from(decodeBinaryHeader(details)));
  }
  return { code: connectError.code as number as grpc.status, details: connectError.rawMessage, metadata };
}

/** The status a grpc-js client received, as the ConnectError connect-es's gRPC transport raises. */
export function errorFromStatus(status: Partial<grpc.StatusObject> & { code: grpc.status; message?: string }): ConnectError {
  const trailer = new Headers(headersFromMetadata(status.metadata));
  const details = status.metadata?.get("grpc-status-details-bin")[0];
  trailer.set("grpc-status", String(status.code));
  trailer.set("grpc-message", encodeURIComponent(status.details ?? status.message ?? ""));
  if (details instanceof Buffer) trailer.set("grpc-status-details-bin", encodeBinaryHeader(details));
  return findTrailerError(trailer) ?? new ConnectError(status.details ?? "", status.code as number as Code, trailer);
}
