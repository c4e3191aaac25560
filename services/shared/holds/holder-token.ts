/**
 * The value a hold is stored under names its holder: `<base64url(userId)>.<random>`. Whoever
 * reads a hold can then tell whose it is, so only that buyer's requests confirm or release it,
 * with or without the reservation record. The random part keeps two holds of one buyer apart
 * for compare-and-delete; it is drawn by the lock store, never by the caller.
 */
export function holderToken(userId: string, nonce: string): string {
  return `${Buffer.from(userId, "utf8").toString("base64url")}.${nonce}`;
}

/** The user a hold token was issued to; undefined for a value this module did not make. */
export function holderOf(token: string): string | undefined {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot === token.length - 1) return undefined;
  const encoded = token.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  return Buffer.from(encoded, "base64url").toString("utf8");
}
