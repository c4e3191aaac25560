import { describe, expect, it } from "vitest";
import { createStreamCaps } from "./stream-caps.js";

describe("stream caps", () => {
  it("refuses an address's stream past its cap and takes one again when a stream of it ends", () => {
    const caps = createStreamCaps({ perIp: 2, perUser: 10 });
    const first = caps.acquire("10.0.0.1", undefined);
    const second = caps.acquire("10.0.0.1", undefined);
    expect([first.granted, second.granted]).toEqual([true, true]);
    expect(caps.acquire("10.0.0.1", undefined)).toEqual({ granted: false, who: "address", limit: 2 });
    expect(caps.acquire("10.0.0.2", undefined).granted).toBe(true);
    if (first.granted) {
      first.release();
      first.release(); // twice counts once
    }
    expect(caps.openFor("10.0.0.1")).toBe(1);
    expect(caps.acquire("10.0.0.1", undefined).granted).toBe(true);
    expect(caps.acquire("10.0.0.1", undefined).granted).toBe(false);
  });

  it("counts a signed-in user's streams across addresses", () => {
    const caps = createStreamCaps({ perIp: 100, perUser: 2 });
    expect(caps.acquire("10.0.0.1", "alice").granted).toBe(true);
    const second = caps.acquire("10.0.0.2", "alice");
    expect(second.granted).toBe(true);
    expect(caps.acquire("10.0.0.3", "alice")).toEqual({ granted: false, who: "user", limit: 2 });
    // A refused stream took no place of its address.
    expect(caps.openFor("10.0.0.3")).toBe(0);
    expect(caps.acquire("10.0.0.3", "bob").granted).toBe(true);
    if (second.granted) second.release();
    expect(caps.acquire("10.0.0.3", "alice").granted).toBe(true);
  });
});
