import { describe, expect, it } from "vitest";
import { estimateWaitMs } from "./wait-estimate.js";

const base = { position: 30, admittedLastMinute: 0, configuredPerMinute: 60, paused: false, nowMs: 0, onSaleAtMs: null };

describe("the estimated wait", () => {
  it("is position over the measured rate once admission has been measured", () => {
    expect(estimateWaitMs({ ...base, admittedLastMinute: 120 })).toBe(15_000);
  });

  it("is position over the configured rate before anything has been measured", () => {
    expect(estimateWaitMs(base)).toBe(30_000);
  });

  it("starts when sales open for a buyer waiting for the on-sale", () => {
    expect(estimateWaitMs({ ...base, nowMs: 0, onSaleAtMs: 60_000 })).toBe(90_000);
  });

  it("is unknown while paused", () => {
    expect(estimateWaitMs({ ...base, paused: true })).toBeNull();
  });
});
