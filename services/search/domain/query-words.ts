/** A longer term is cut here: past this many words a query is no longer a search. */
export const MAX_QUERY_WORDS = 16;

/** Words this long or longer are matched even with one typo (edit, insertion, deletion, swap). */
export const TYPO_MIN_LETTERS = 5;

/**
 * The words of a free-text term as every backend matches them: lower case, split on anything
 * that is not a letter or digit. Each word must match; the last may be half typed.
 */
export function queryWords(term: string): string[] {
  const words = term
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

export const toleratesTypo = (word: string) => [...word].length >= TYPO_MIN_LETTERS;

/**
 * True when b is a at most one typo away: one letter changed, added or dropped, or two
 * neighbours swapped (optimal string alignment distance ≤ 1, as search engines count fuzziness).
 */
export function withinOneTypo(a: string, b: string): boolean {
  if (a === b) return true;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const restX = x.slice(start, endX);
  const restY = y.slice(start, endY);
  // What differs after trimming the common prefix and suffix must be one change or one swap.
  if (restX.length <= 1 && restY.length <= 1) return true;
  return restX.length === 2 && restY.length === 2 && restX[0] === restY[1] && restX[1] === restY[0];
}
