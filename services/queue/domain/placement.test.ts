import { describe, expect, it } from "vitest";
import { isDrawnScore, placementScore } from "./placement.js";

describe("a place's score", () => {
  it("is drawn at random for an arrival before the on-sale, and below every later arrival's", () => {
    const early = placementScore(999, 1_000, () => 0.999999);
    const late = placementScore(1_000, 1_000, () => 0);
    expect(early).toBe(0.999999);
    expect(isDrawnScore(early)).toBe(true);
    expect(late).toBe(1_000);
    expect(isDrawnScore(late)).toBe(false);
    expect(early).toBeLessThan(late);
  });

  it("is the join time after the on-sale and when there is none: first come, first served", () => {
    expect(placementScore(5_000, 1_000, () => 0.5)).toBe(5_000);
    expect(placementScore(5_000, null, () => 0.5)).toBe(5_000);
    expect(placementScore(5_001, null, () => 0.5)).toBeGreaterThan(placementScore(5_000, null, () => 0.5));
  });

  it("refuses a draw outside [0, 1) rather than misplace someone behind later arrivals", () => {
    expect(() => placementScore(0, 1_000, () => 1)).toThrow(RangeError);
    expect(() => placementScore(0, 1_000, () => Number.NaN)).toThrow(RangeError);
  });
});
