import type { Redis } from "ioredis";
import { agreedHolds, settledHolds } from "./redis-quorum-hold-reader.js";
import { describe, expect, it } from "vitest";
import { readByQuorum, settleByQuorum, type NodeAnswer } from "./quorum-calls.js";
import { HoldsUnavailableError } from "./ticket-holds.js";

/** A call the test settles by hand, to model a node that answers late or never. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

const majorityOk = (answers: ReadonlyArray<NodeAnswer<number> | undefined>) => {
  const ok = answers.filter((answer) => answer?.ok).length;
  const failed = answers.filter((answer) => answer?.ok === false).length;
  if (ok >= 2) return "ok";
  if (answers.length - failed < 2) return "no quorum";
  return undefined;
};

describe("settling by quorum", () => {
  it("answers once a majority has, without waiting for a node that never answers", async () => {
    const hung = deferred<number>();
    expect(await settleByQuorum([Promise.resolve(1), Promise.resolve(2), hung.promise], majorityOk)).toBe("ok");
  });

  it("answers no quorum as soon as a majority has failed", async () => {
    const hung = deferred<number>();
    const down = Promise.reject(new Error("down"));
    expect(await settleByQuorum([down, Promise.reject(new Error("down")), hung.promise], majorityOk)).toBe("no quorum");
  });

  it("waits for the late node when the others disagree", async () => {
    const late = deferred<number>();
    const outcome = settleByQuorum([Promise.resolve(1), Promise.reject(new Error("down")), late.promise], majorityOk);
    late.resolve(3);
    expect(await outcome).toBe("ok");
  });

  it("fails when every node answered and the rule still decided nothing", async () => {
    await expect(settleByQuorum([Promise.resolve(1)], () => undefined)).rejects.toThrow(/decided nothing/);
  });
});

/** A lock node as readByQuorum sees it: MGET answers, fails, or hangs. */
const node = (answer: Array<string | null> | "down" | "hung") =>
  ({
    mget: () => (answer === "down" ? Promise.reject(new Error("down")) : answer === "hung" ? new Promise(() => undefined) : Promise.resolve(answer)),
  }) as unknown as Redis;

describe("reading keys by quorum", () => {
  it("a value on two of three nodes is agreed, even while the third hangs", async () => {
    expect(await readByQuorum([node(["x", null]), node(["x", null]), node("hung")], ["k1", "k2"])).toEqual([
      { agreed: "x", seen: true },
      { agreed: undefined, seen: false },
    ]);
  });

  it("a value on one node only is seen but not agreed", async () => {
    expect(await readByQuorum([node(["x"]), node([null]), node([null])], ["k1"])).toEqual([{ agreed: undefined, seen: true }]);
  });

  it("waits for the third node when the two that answered disagree", async () => {
    let answer!: (values: Array<string | null>) => void;
    const late = { mget: () => new Promise((resolve) => (answer = resolve)) } as unknown as Redis;
    const read = readByQuorum([node(["x"]), node([null]), late], ["k1"]);
    answer(["x"]);
    expect(await read).toEqual([{ agreed: "x", seen: true }]);
  });

  it("refuses to say anything when two of three nodes are down", async () => {
    await expect(readByQuorum([node(["x"]), node("down"), node("down")], ["k1"])).rejects.toBeInstanceOf(HoldsUnavailableError);
  });
});

describe("a buyer's holds from a bare majority", () => {
  const entry = (token: string, record = "reservation:r1") => `${10_000} ${token} ${record}`;

  it("two nodes that agree decide without the third: a hold on both stands, one on neither cannot", () => {
    const index = { t1: entry("YWxpY2U.a"), t2: entry("YWxpY2U.a") };
    expect(settledHolds([index, index], 2, 0, 1)).toEqual(
      new Map([
        ["t1", { token: "YWxpY2U.a", expiresAtMs: 10_000, recordKey: "reservation:r1" }],
        ["t2", { token: "YWxpY2U.a", expiresAtMs: 10_000, recordKey: "reservation:r1" }],
      ]),
    );
  });

  it("a hold seen by one of two answering nodes waits for the third, which could make it a majority", () => {
    expect(settledHolds([{ t1: entry("YWxpY2U.a") }, {}], 2, 0, 1)).toBeUndefined();
    expect(settledHolds([{ t1: entry("YWxpY2U.a") }, {}, {}], 2, 0, 0)).toEqual(new Map());
  });

  it("reads an event index's entries (no record) as before", () => {
    expect(agreedHolds([{ t1: "10000 bob.x" }, { t1: "10000 bob.x" }], 2, 0)).toEqual(new Map([["t1", { token: "bob.x", expiresAtMs: 10_000 }]]));
  });
});
