import { describe, expect, it } from "vitest";
import { holderOf } from "./holder-token.js";
import { InMemoryTicketHolds } from "./in-memory-ticket-holds.js";

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function held(outcome: Awaited<ReturnType<InMemoryTicketHolds["hold"]>>) {
  if (outcome.kind !== "held") throw new Error(`expected a hold, got ${outcome.kind}`);
  return outcome;
}

describe("in-process ticket holds", () => {
  it("hold all tickets or none: one taken ticket refuses the whole request", async () => {
    const holds = new InMemoryTicketHolds();
    const bob = held(await holds.hold(["t2"], 1_000, "bob"));
    expect(await holds.hold(["t1", "t2"], 1_000, "alice")).toEqual({ kind: "taken", ticketIds: ["t2"] });
    expect(await holds.holders(["t1", "t2"])).toEqual(new Map([["t2", bob.token]]));
  });

  it("a hold's token names the user it was taken for", async () => {
    const holds = new InMemoryTicketHolds();
    const alice = held(await holds.hold(["t1"], 1_000, "alice@example.com"));
    expect(holderOf(alice.token)).toBe("alice@example.com");
    expect(holderOf((await holds.holders(["t1"])).get("t1")!)).toBe("alice@example.com");
  });

  it("expire by themselves after the TTL", async () => {
    const time = clock();
    const holds = new InMemoryTicketHolds(time.now);
    await holds.hold(["t1"], 1_000, "alice");
    time.advance(999);
    expect((await holds.hold(["t1"], 1_000, "bob")).kind).toBe("taken");
    time.advance(1);
    expect((await holds.hold(["t1"], 1_000, "bob")).kind).toBe("held");
  });

  it("release only under the holder's token", async () => {
    const holds = new InMemoryTicketHolds();
    const alice = held(await holds.hold(["t1"], 1_000, "alice"));
    await holds.release(["t1"], "someone-else");
    expect((await holds.holders(["t1"])).get("t1")).toBe(alice.token);
    await holds.release(["t1"], alice.token);
    expect((await holds.holders(["t1"])).size).toBe(0);
  });
});
