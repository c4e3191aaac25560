/**
 * The score a buyer's place is ordered by (lowest first). Arrivals before the on-sale draw a
 * uniformly random score in [0, 1), so their order is decided by the draw, not by how early or
 * how often a client hammered the page; every later arrival scores its join time in
 * milliseconds, which is above every drawn score, so they queue behind the early ones, first
 * come first served. `random` must come from a CSPRNG on the server: a client that could
 * predict it could pick its place.
 */
export function placementScore(joinedAtMs: number, onSaleAtMs: number | null, random: () => number): number {
  if (onSaleAtMs !== null && joinedAtMs < onSaleAtMs) {
    const drawn = random();
    if (!(drawn >= 0 && drawn < 1)) throw new RangeError(`a drawn place must be in [0, 1), got ${drawn}`);
    return drawn;
  }
  return joinedAtMs;
}

/** Whether a score was drawn among early arrivals (see placementScore). */
export const isDrawnScore = (score: number) => score < 1;
