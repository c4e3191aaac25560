import { describe, expect, it, vi } from "vitest";
import { MessageFanout } from "./message-fanout.js";

/** A state of numbers: each message adds one; the snapshot is the list so far. */
function counter(maxLag = 4, wakePerTurn?: number) {
  const state: number[] = [];
  const snapshot = vi.fn(() => ({ snapshot: [...state] }));
  const fanout = new MessageFanout<{ snapshot?: number[]; add?: number }>({ snapshot, maxLag, wakePerTurn });
  return {
    fanout,
    snapshot,
    add(value: number) {
      state.push(value);
      fanout.publish({ add: value });
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("a message fanout", () => {
  it("builds the snapshot once for many watchers and hands every one the same message objects", async () => {
    const { fanout, snapshot, add } = counter();
    add(1);
    const watchers = Array.from({ length: 500 }, () => fanout.subscribe());
    const firsts = await Promise.all(watchers.map((watcher) => watcher.next()));
    expect(snapshot).toHaveBeenCalledTimes(1);
    expect(new Set(firsts.map((first) => first.value)).size).toBe(1);
    expect(firsts[0]!.value).toEqual({ snapshot: [1] });

    add(2);
    const seconds = await Promise.all(watchers.map((watcher) => watcher.next()));
    expect(new Set(seconds.map((second) => second.value)).size).toBe(1);
    expect(seconds[0]!.value).toEqual({ add: 2 });
    // A later watcher gets the state after 2: built once more, then shared again.
    const late = [fanout.subscribe(), fanout.subscribe()];
    expect((await late[0]!.next()).value).toEqual({ snapshot: [1, 2] });
    expect((await late[1]!.next()).value).toEqual({ snapshot: [1, 2] });
    expect(snapshot).toHaveBeenCalledTimes(2);
    await Promise.all([...watchers, ...late].map((watcher) => watcher.return()));
    expect(fanout.size).toBe(0);
  });

  it("keeps only maxLag messages for a reader that does not read, and gives it a fresh snapshot when it comes back", async () => {
    const { fanout, add } = counter(4);
    const slow = fanout.subscribe();
    await slow.next();
    for (let i = 1; i <= 1_000; i++) add(i);
    expect((fanout as unknown as { log: unknown[] }).log.length).toBe(4);
    const next = (await slow.next()).value!;
    expect(next.snapshot).toHaveLength(1_000);
    expect(fanout.resyncs).toBe(1);
    add(1_001);
    expect((await slow.next()).value).toEqual({ add: 1_001 });
  });

  it("gives a reader within maxLag every message it missed, in order", async () => {
    const { fanout, add } = counter(4);
    const reader = fanout.subscribe();
    await reader.next();
    add(1);
    add(2);
    add(3);
    expect([(await reader.next()).value, (await reader.next()).value, (await reader.next()).value]).toEqual([{ add: 1 }, { add: 2 }, { add: 3 }]);
    expect(fanout.resyncs).toBe(0);
  });

  it("wakes waiting watchers a bounded number per turn of the event loop", async () => {
    const { fanout, add } = counter(4, 10);
    const watchers = Array.from({ length: 35 }, () => fanout.subscribe());
    await Promise.all(watchers.map((watcher) => watcher.next()));
    let received = 0;
    const pending = watchers.map((watcher) => watcher.next().then(() => (received += 1)));
    add(1);
    const perTurn: number[] = [];
    for (let i = 0; i < 4; i++) {
      await turn();
      perTurn.push(received);
    }
    expect(perTurn).toEqual([10, 20, 30, 35]);
    await Promise.all(pending);
  });

  it("admits a burst of new watchers a bounded number per turn, in the order they came, each from the state when its turn came", async () => {
    const state: number[] = [];
    const fanout = new MessageFanout<{ snapshot?: number[]; add?: number }>({ snapshot: () => ({ snapshot: [...state] }), maxLag: 4, admitPerTurn: 10 });
    const watchers = Array.from({ length: 25 }, () => fanout.subscribe());
    const admitted: number[] = [];
    const firsts = watchers.map((watcher, index) => watcher.next().then((first) => (admitted.push(index), first.value)));
    const perTurn: number[] = [];
    for (let i = 0; i < 3; i++) {
      await turn();
      perTurn.push(admitted.length);
      // A change between two turns: later joiners' snapshots include it, and they are not sent it again.
      state.push(i);
      fanout.publish({ add: i });
    }
    expect(perTurn).toEqual([10, 20, 25]);
    expect(admitted).toEqual(Array.from({ length: 25 }, (_, index) => index));
    const snapshots = await Promise.all(firsts);
    expect(snapshots[0]).toEqual({ snapshot: [] });
    expect(snapshots[10]).toEqual({ snapshot: [0] });
    expect(snapshots[24]).toEqual({ snapshot: [0, 1] });
    expect((await watchers[24]!.next()).value).toEqual({ add: 2 });
    expect((await watchers[0]!.next()).value).toEqual({ add: 0 });
    await Promise.all(watchers.map((watcher) => watcher.return()));
    expect(fanout.size).toBe(0);
  });

  it("still gives a watcher waiting for its turn the last state when the source ends normally", async () => {
    const { fanout, add } = counter();
    const joining = fanout.subscribe();
    const first = joining.next();
    add(1);
    fanout.close();
    expect((await first).value).toEqual({ snapshot: [1] });
    expect((await joining.next()).done).toBe(true);
  });

  it("lets a watcher that leaves before its turn go without a snapshot", async () => {
    const { fanout, snapshot } = counter();
    const controller = new AbortController();
    const leaving = fanout.subscribe(controller.signal);
    const first = leaving.next();
    controller.abort();
    expect((await first).done).toBe(true);
    expect(snapshot).not.toHaveBeenCalled();
    expect(fanout.size).toBe(0);
  });

  it("ends a watcher when its signal aborts, and every watcher, with an error if given, when closed", async () => {
    const { fanout } = counter();
    const controller = new AbortController();
    const aborted = fanout.subscribe(controller.signal);
    await aborted.next();
    const waiting = aborted.next();
    controller.abort();
    expect((await waiting).done).toBe(true);

    const failed = fanout.subscribe();
    await failed.next();
    const pending = failed.next();
    fanout.close(new Error("upstream gone"));
    await expect(pending).rejects.toThrow("upstream gone");
    await expect(fanout.subscribe().next()).rejects.toThrow("upstream gone");
    expect(fanout.size).toBe(0);
  });
});

describe("a coalescing message fanout", () => {
  it("wakes watchers once per interval and hands each run of messages as one merged message, built once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const merge = vi.fn((run: Array<{ add?: number }>) => ({ adds: run.map((message) => message.add!) }));
      const fanout = new MessageFanout<{ snapshot?: number[]; add?: number; adds?: number[] }>({
        snapshot: () => ({ snapshot: [] }),
        maxLag: 16,
        coalesce: { intervalMs: 100, merge },
      });
      const watchers = Array.from({ length: 50 }, () => fanout.subscribe());
      await Promise.all(watchers.map((watcher) => watcher.next()));
      const next = Promise.all(watchers.map((watcher) => watcher.next()));
      for (const value of [1, 2, 3]) fanout.publish({ add: value });
      vi.advanceTimersByTime(100);
      const runs = await next;
      expect(new Set(runs.map((run) => run.value)).size).toBe(1);
      expect(runs[0]!.value).toEqual({ adds: [1, 2, 3] });
      expect(merge).toHaveBeenCalledTimes(1);
      // A lone message in a window goes out as it was published, unmerged.
      const lone = watchers[0]!.next();
      fanout.publish({ add: 4 });
      vi.advanceTimersByTime(100);
      expect((await lone).value).toEqual({ add: 4 });
      await Promise.all(watchers.map((watcher) => watcher.return()));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("a coalescing fanout that closes inside a window", () => {
  const coalescing = () =>
    new MessageFanout<{ snapshot?: boolean; adds?: number[]; add?: number }>({
      snapshot: () => ({ snapshot: true }),
      maxLag: 16,
      coalesce: { intervalMs: 60_000, merge: (run) => ({ adds: run.map((message) => message.add!) }) },
    });

  it("still delivers what was published when the source ends normally, then ends", async () => {
    const fanout = coalescing();
    const watcher = fanout.subscribe();
    await watcher.next();
    fanout.publish({ add: 1 });
    fanout.publish({ add: 2 });
    fanout.close();
    expect((await watcher.next()).value).toEqual({ adds: [1, 2] });
    expect((await watcher.next()).done).toBe(true);
  });

  it("delivers nothing more when the source fails: the watcher's stream ends with the error", async () => {
    const fanout = coalescing();
    const watcher = fanout.subscribe();
    await watcher.next();
    fanout.publish({ add: 1 });
    fanout.close(new Error("upstream reset"));
    await expect(watcher.next()).rejects.toThrow("upstream reset");
  });
});
