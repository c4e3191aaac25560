import { ConnectError } from "@connectrpc/connect";

/** Where services put an error's machine-readable specifics (services/shared/errors). */
export const ERROR_DETAILS_HEADER = "boxoffice-error-details";

const RELAYED_METADATA = [ERROR_DETAILS_HEADER, "retry-after"];

/**
 * A service's error as the edge passes it on. Connect drops the metadata of errors read from the
 * wire, which would lose the details clients act on ("which seats were taken"); this keeps those
 * and nothing else of the internal response.
 */
export function relayedError(error: unknown): ConnectError {
  const upstream = ConnectError.from(error);
  const metadata = new Headers();
  for (const name of RELAYED_METADATA) {
    const value = upstream.metadata.get(name);
    if (value !== null) metadata.set(name, value);
  }
  return new ConnectError(upstream.rawMessage, upstream.code, metadata, undefined, upstream.cause);
}
