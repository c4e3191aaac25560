import { describe, expect, it } from "vitest";
import { sharedWork } from "./shared-work.js";

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
};

describe("work shared by the callers waiting for it", () => {
  it("runs once per key for every caller meanwhile, and again once it is done", async () => {
    const join = sharedWork<string, number>();
    let runs = 0;
    const gate = deferred<number>();
    const start = () => ((runs += 1), gate.promise);
    const answers = Promise.all([join("k", start), join("k", start), join("k", start)]);
    gate.resolve(7);
    expect(await answers).toEqual([7, 7, 7]);
    expect(await join("k", async () => ((runs += 1), 8))).toBe(8);
    expect(runs).toBe(2);
  });

  it("a caller who leaves gets CANCELLED at once; the work stops only when the last one leaves", async () => {
    const join = sharedWork<string, string>();
    let stopped: AbortSignal | undefined;
    const gate = deferred<string>();
    const start = (signal: AbortSignal) => ((stopped = signal), gate.promise);
    const [first, second] = [new AbortController(), new AbortController()];
    const firstAnswer = join("k", start, first.signal).catch((error: { kind?: string }) => error.kind);
    const secondAnswer = join("k", start, second.signal).catch((error: { kind?: string }) => error.kind);
    first.abort();
    expect(await firstAnswer).toBe("cancelled");
    expect(stopped?.aborted).toBe(false);
    second.abort();
    expect(await secondAnswer).toBe("cancelled");
    expect(stopped?.aborted).toBe(true);
  });

  it("a caller without a signal keeps the work going, and one already gone never starts it", async () => {
    const join = sharedWork<string, string>();
    let stopped: AbortSignal | undefined;
    const gate = deferred<string>();
    const leaving = new AbortController();
    const kept = join("k", (signal) => ((stopped = signal), gate.promise));
    const left = join("k", () => gate.promise, leaving.signal).catch((error: { kind?: string }) => error.kind);
    leaving.abort();
    expect(await left).toBe("cancelled");
    expect(stopped?.aborted).toBe(false);
    gate.resolve("done");
    expect(await kept).toBe("done");
    let started = false;
    await expect(join("other", async () => ((started = true), "x"), AbortSignal.abort())).rejects.toMatchObject({ kind: "cancelled" });
    expect(started).toBe(false);
  });
});
