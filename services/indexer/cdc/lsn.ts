/** A PostgreSQL WAL position ("16/B374D848") as a number of bytes. */
export type Lsn = bigint;

export function parseLsn(text: string): Lsn {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new Error(`not an LSN: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/**
 * The document version for changes up to this position: later changes carry higher versions,
 * so the engine refuses to let an older write replace a newer one. Exact while below 2^53
 * bytes of WAL (8 PiB), which a cluster does not reach.
 */
export function documentVersion(lsn: Lsn): number {
  if (lsn > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`LSN ${formatLsn(lsn)} is past the exact range of a document version`);
  return Number(lsn);
}
