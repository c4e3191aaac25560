import { describe, expect, it } from "vitest";
import { admissionInversions, joinAdmissionCorrelation, type Arrival } from "../../bench/support/fairness.js";
import { seededRandom } from "../../bench/support/spike-buyers.js";

// The spike bench's fairness measure (bench/support/fairness.ts): pure functions, no servers.

/** Every pair compared, as the definition says: the reference the fast count must match. */
function bruteForce(arrivals: Arrival[]) {
  const key = (a: Arrival) => a.admittedAt ?? Number.POSITIVE_INFINITY;
  let decided = 0;
  let inversions = 0;
  for (const a of arrivals) {
    for (const b of arrivals) {
      if (!(a.joinedAt < b.joinedAt) || key(a) === key(b)) continue;
      decided += 1;
      if (key(b) < key(a)) inversions += 1;
    }
  }
  return { decided, inversions };
}

describe("admission-order inversions against join order", () => {
  it("are none for first come, first served, even with a whole step admitted at one time", () => {
    const arrivals = [
      { joinedAt: 1, admittedAt: 100 },
      { joinedAt: 2, admittedAt: 100 },
      { joinedAt: 3, admittedAt: 200 },
      { joinedAt: 4, admittedAt: null },
      { joinedAt: 5, admittedAt: null },
    ];
    expect(admissionInversions(arrivals)).toEqual({ buyers: 5, decidedPairs: 8, inversions: 0, share: 0, largestOvertakeMs: 0 });
  });

  it("counts a later joiner admitted first, and one admitted while an earlier joiner never was", () => {
    const arrivals = [
      { joinedAt: 10, admittedAt: 300 },
      { joinedAt: 20, admittedAt: 100 },
      { joinedAt: 30, admittedAt: null },
      { joinedAt: 40, admittedAt: 200 },
    ];
    // (10,20), (10,40) and (30,40) are against join order; (20,40) and the pairs with 30 before it are not.
    const result = admissionInversions(arrivals);
    expect(result).toMatchObject({ decidedPairs: 6, inversions: 3, share: 0.5 });
    // The buyer who joined at 10 was overtaken by the one who joined at 40.
    expect(result.largestOvertakeMs).toBe(30);
  });

  it("leaves pairs with the same join time out, whatever their admission", () => {
    const result = admissionInversions([
      { joinedAt: 5, admittedAt: 2 },
      { joinedAt: 5, admittedAt: 1 },
      { joinedAt: 6, admittedAt: 3 },
    ]);
    expect(result).toMatchObject({ decidedPairs: 2, inversions: 0 });
  });

  it("matches every pair compared one by one, on random orders with ties", () => {
    const random = seededRandom(7);
    for (let round = 0; round < 20; round++) {
      const arrivals = Array.from({ length: 60 }, () => ({
        joinedAt: Math.floor(random() * 40),
        admittedAt: random() < 0.2 ? null : Math.floor(random() * 10) * 100,
      }));
      const expected = bruteForce(arrivals);
      const result = admissionInversions(arrivals);
      expect([result.decidedPairs, result.inversions]).toEqual([expected.decided, expected.inversions]);
    }
  });

  it("is about half for an order drawn at random, and none of nothing", () => {
    const random = seededRandom(11);
    const arrivals = Array.from({ length: 4_000 }, (_, index) => ({ joinedAt: index, admittedAt: random() }));
    expect(admissionInversions(arrivals).share).toBeGreaterThan(0.47);
    expect(admissionInversions(arrivals).share).toBeLessThan(0.53);
    expect(admissionInversions([])).toEqual({ buyers: 0, decidedPairs: 0, inversions: 0, share: 0, largestOvertakeMs: 0 });
  });
});

describe("rank correlation of join and admission order", () => {
  it("is 1 for first come, first served and -1 for the reverse", () => {
    const arrivals = Array.from({ length: 50 }, (_, index) => ({ joinedAt: index, admittedAt: index * 10 }));
    expect(joinAdmissionCorrelation(arrivals)).toBeCloseTo(1, 10);
    expect(joinAdmissionCorrelation(arrivals.map((arrival) => ({ ...arrival, admittedAt: -arrival.admittedAt })))).toBeCloseTo(-1, 10);
  });

  it("is about 0 for a random draw, never-admitted buyers tied last", () => {
    const random = seededRandom(3);
    const arrivals = Array.from({ length: 5_000 }, (_, index) => ({ joinedAt: index, admittedAt: random() < 0.3 ? null : random() }));
    expect(Math.abs(joinAdmissionCorrelation(arrivals))).toBeLessThan(0.05);
  });

  it("has no value without two buyers or without spread", () => {
    expect(joinAdmissionCorrelation([{ joinedAt: 1, admittedAt: 1 }])).toBeNaN();
    expect(joinAdmissionCorrelation([{ joinedAt: 1, admittedAt: 5 }, { joinedAt: 2, admittedAt: 5 }])).toBeNaN();
  });
});
