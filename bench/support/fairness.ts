/**
 * Fairness of a waiting room, measured as order: a pair of buyers (a, b) where a joined before
 * b but the queue served b before a is an inversion. "Served" is the queue's own order: when the
 * admission worker admitted the buyer, and for buyers still in line when the event sold out,
 * their place in that line (after every admission). Buyers admitted in one step of the worker
 * share an admission time: a tie, not an inversion, whichever order they learn of it. Buyers
 * with no place at all (null) count as served last, all tied.
 *
 * The share reported is inversions ÷ decided pairs, the pairs whose join times differ and whose
 * service differs: of the pairs the queue put in an order, how many it put against the order
 * they came in. A first-come-first-served queue scores 0; a random order 0.5. All pairs,
 * counted exactly in O(n log n).
 */
export interface Arrival {
  /** When the buyer joined (sent JoinQueue), ms on any one clock. */
  joinedAt: number;
  /** The queue's order: when it admitted the buyer (ms), or a later value keeping its place in line; null: no place. */
  admittedAt: number | null;
}

export interface Inversions {
  buyers: number;
  /** Pairs with different join times and different admission times. */
  decidedPairs: number;
  inversions: number;
  /** inversions ÷ decidedPairs (0 when nothing was decided). */
  share: number;
  /** The most one buyer was overtaken by: the join-time gap to the latest joiner admitted before it, ms. */
  largestOvertakeMs: number;
}

const admissionKey = (arrival: Arrival) => arrival.admittedAt ?? Number.POSITIVE_INFINITY;

/** Pairs within groups of equal keys: n(n-1)/2 summed over the groups. */
function tiedPairs(keys: Array<number | string>): number {
  const counts = new Map<number | string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  let pairs = 0;
  for (const count of counts.values()) pairs += (count * (count - 1)) / 2;
  return pairs;
}

/** Pairs i < j with values[i] > values[j], by merge sort. */
function countInversions(values: number[]): number {
  let inversions = 0;
  let source = values.slice();
  let target = new Array<number>(values.length);
  for (let width = 1; width < source.length; width *= 2) {
    for (let low = 0; low < source.length; low += 2 * width) {
      const middle = Math.min(low + width, source.length);
      const high = Math.min(low + 2 * width, source.length);
      let left = low;
      let right = middle;
      let out = low;
      while (left < middle && right < high) {
        if (source[left]! <= source[right]!) target[out++] = source[left++]!;
        else {
          // Every element still on the left is greater than this one from the right.
          inversions += middle - left;
          target[out++] = source[right++]!;
        }
      }
      while (left < middle) target[out++] = source[left++]!;
      while (right < high) target[out++] = source[right++]!;
    }
    [source, target] = [target, source];
  }
  return inversions;
}

export function admissionInversions(arrivals: readonly Arrival[]): Inversions {
  // Equal join times are no order: sorted by admission among themselves, they add no inversion.
  const sorted = [...arrivals].sort((a, b) => a.joinedAt - b.joinedAt || admissionKey(a) - admissionKey(b));
  const admissions = sorted.map(admissionKey);
  const n = sorted.length;
  const joinTies = tiedPairs(sorted.map((arrival) => arrival.joinedAt));
  const admissionTies = tiedPairs(admissions);
  const bothTies = joinTies === 0 ? 0 : tiedPairs(sorted.map((arrival) => `${arrival.joinedAt}|${admissionKey(arrival)}`));
  const decidedPairs = (n * (n - 1)) / 2 - joinTies - admissionTies + bothTies;
  const inversions = countInversions(admissions);

  // The earliest joiner admitted after buyer j: the first i whose running maximum of admission exceeds j's.
  let largestOvertakeMs = 0;
  const runningMax: number[] = [];
  for (let j = 0; j < n; j++) {
    const mine = admissions[j]!;
    if (j > 0 && runningMax[j - 1]! > mine) {
      let low = 0;
      let high = j - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (runningMax[middle]! > mine) high = middle;
        else low = middle + 1;
      }
      largestOvertakeMs = Math.max(largestOvertakeMs, sorted[j]!.joinedAt - sorted[low]!.joinedAt);
    }
    runningMax.push(Math.max(runningMax[j - 1] ?? Number.NEGATIVE_INFINITY, mine));
  }
  return { buyers: n, decidedPairs, inversions, share: decidedPairs > 0 ? inversions / decidedPairs : 0, largestOvertakeMs };
}

/** Ranks 1..n in the given order of values, tied values sharing their average rank. */
function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * Spearman's rank correlation of join order against admission order (ties at their average
 * rank; never admitted tied last): about 0 when the order was drawn at random, 1 for first come
 * first served. NaN for fewer than two buyers or no spread.
 */
export function joinAdmissionCorrelation(arrivals: readonly Arrival[]): number {
  if (arrivals.length < 2) return Number.NaN;
  const x = averageRanks(arrivals.map((arrival) => arrival.joinedAt));
  const y = averageRanks(arrivals.map(admissionKey));
  const mean = (arrivals.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < arrivals.length; i++) {
    const dx = x[i]! - mean;
    const dy = y[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}
