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

const hold = (holds: InMemoryTicketHolds, ticketIds: string[], userId: string, ttlMs = 1_000, eventId = "e1") => holds.hold({ eventId, ticketIds, ttlMs, userId });

describe("in-process ticket holds", () => {
  it("hold all tickets or none: one taken ticket refuses the whole request, naming its holder", async () => {
    const holds = new InMemoryTicketHolds();
    const bob = held(await hold(holds, ["t2"], "bob"));
    expect(await hold(holds, ["t1", "t2"], "alice")).toEqual({ kind: "taken", ticketIds: ["t2"], holders: new Map([["t2", bob.token]]) });
    expect(await holds.holders(["t1", "t2"])).toEqual(new Map([["t2", bob.token]]));
  });

  it("a hold's token names the user it was taken for", async () => {
    const holds = new InMemoryTicketHolds();
    const alice = held(await hold(holds, ["t1"], "alice@example.com"));
    expect(holderOf(alice.token)).toBe("alice@example.com");
    expect(holderOf((await holds.holders(["t1"])).get("t1")!)).toBe("alice@example.com");
  });

  it("expire by themselves after the TTL, from the event's index too", async () => {
    const time = clock();
    const holds = new InMemoryTicketHolds(time.now);
    await hold(holds, ["t1"], "alice");
    time.advance(999);
    expect((await hold(holds, ["t1"], "bob")).kind).toBe("taken");
    expect([...(await holds.eventHolds("e1")).keys()]).toEqual(["t1"]);
    time.advance(1);
    expect((await holds.eventHolds("e1")).size).toBe(0);
    expect((await hold(holds, ["t1"], "bob")).kind).toBe("held");
  });

  it("release only under the holder's token, and the record with it", async () => {
    const holds = new InMemoryTicketHolds();
    const record = { key: "reservation:r1", value: ({ token }: { token: string }) => `r1 ${token}` };
    const alice = held(await holds.hold({ eventId: "e1", ticketIds: ["t1"], ttlMs: 1_000, userId: "alice", record }));
    expect(await holds.readRecord("reservation:r1")).toBe(`r1 ${alice.token}`);
    await holds.release({ eventId: "e1", ticketIds: ["t1"], token: "someone-else" });
    expect((await holds.holders(["t1"])).get("t1")).toBe(alice.token);
    await holds.release({ eventId: "e1", ticketIds: ["t1"], token: alice.token, recordKey: "reservation:r1" });
    expect((await holds.holders(["t1"])).size).toBe(0);
    expect(await holds.readRecord("reservation:r1")).toBeUndefined();
  });

  it("index holds by event: an event's holds are read without naming its tickets", async () => {
    const holds = new InMemoryTicketHolds(() => 0);
    const alice = held(await hold(holds, ["t1", "t2"], "alice", 1_000, "e1"));
    await hold(holds, ["u1"], "bob", 1_000, "e2");
    expect(await holds.eventHolds("e1")).toEqual(
      new Map([
        ["t1", { token: alice.token, expiresAtMs: 1_000 }],
        ["t2", { token: alice.token, expiresAtMs: 1_000 }],
      ]),
    );
  });

  it("a claim re-takes an expired hold of the buyer, extends the record, and refuses seats another buyer holds now", async () => {
    const time = clock();
    const holds = new InMemoryTicketHolds(time.now);
    const record = { key: "reservation:r1", value: ({ token }: { token: string }) => token };
    const alice = held(await holds.hold({ eventId: "e1", ticketIds: ["t1", "t2"], ttlMs: 1_000, userId: "alice", record }));
    time.advance(1_000);
    const bob = held(await hold(holds, ["t2"], "bob"));
    const claim = { eventId: "e1", userId: "alice", token: alice.token, ttlMs: 5_000, recordKey: "reservation:r1" };
    expect(await holds.claim({ ...claim, ticketIds: ["t1", "t2"] })).toEqual({ kind: "taken", ticketIds: ["t2"], holders: new Map([["t2", bob.token]]) });
    expect(await holds.holders(["t1"])).toEqual(new Map());

    expect(await holds.claim({ ...claim, ticketIds: ["t1"] })).toEqual({ kind: "claimed" });
    time.advance(4_999);
    expect(await holds.holders(["t1", "t2"])).toEqual(new Map([["t1", alice.token]]));
  });

  it("a buyer's holds in an event come with their reservation's record key, and leave with a release or expiry", async () => {
    const time = clock();
    const holds = new InMemoryTicketHolds(time.now);
    const record = { key: "reservation:r1", value: () => "r1" };
    const alice = held(await holds.hold({ eventId: "e1", ticketIds: ["t1", "t2"], ttlMs: 1_000, userId: "alice", record }));
    await hold(holds, ["t3"], "bob");
    await hold(holds, ["t4"], "alice", 500, "e2");
    expect(await holds.userHolds("e1", "alice")).toEqual(
      new Map([
        ["t1", { token: alice.token, expiresAtMs: 1_000, recordKey: "reservation:r1" }],
        ["t2", { token: alice.token, expiresAtMs: 1_000, recordKey: "reservation:r1" }],
      ]),
    );
    await holds.release({ eventId: "e1", ticketIds: ["t1"], token: alice.token });
    expect([...(await holds.userHolds("e1", "alice")).keys()]).toEqual(["t2"]);
    time.advance(1_000);
    expect((await holds.userHolds("e1", "alice")).size).toBe(0);
  });

  it("a lock is one caller's until unlocked by its token or expired", async () => {
    const time = clock();
    const holds = new InMemoryTicketHolds(time.now);
    const first = await holds.lock("k", 1_000);
    expect(first.kind).toBe("locked");
    expect(await holds.lock("k", 1_000)).toEqual({ kind: "busy" });
    await holds.unlock("k", "someone-else");
    expect(await holds.lock("k", 1_000)).toEqual({ kind: "busy" });
    await holds.unlock("k", (first as { token: string }).token);
    const second = await holds.lock("k", 1_000);
    expect(second.kind).toBe("locked");
    time.advance(1_000);
    expect((await holds.lock("k", 1_000)).kind).toBe("locked");
  });
});
