import { describe, expect, it } from "vitest";
import { check, quorumIntact, type CheckInput, type DatabaseSnapshot } from "../../chaos/checker.js";
import type { FaultEvent, Operation } from "../../chaos/history.js";

// Hand-made histories, each broken in one way: a checker that cannot fail proves nothing.

let nextId = 1;
function op(fields: Partial<Operation> & Pick<Operation, "user" | "op" | "invokeAt">): Operation {
  return { id: nextId++, client: fields.user, completeAt: fields.invokeAt + 10, outcome: "ok", status: 200, ticketIds: [], ...fields };
}

/** A correct run: alice reserved t1 and bought it, bob's direct buy of t2 was declined. */
function correctRun(): { snapshot: DatabaseSnapshot; history: Operation[] } {
  const history = [
    op({ user: "alice", op: "reserve", invokeAt: 1_000, ticketIds: ["t1"], reservationId: "r1", held: true, expiresAt: 60_000 }),
    op({ user: "alice", op: "confirm", invokeAt: 2_000, ticketIds: ["t1"], reservationId: "r1", idempotencyKey: "k1", attempt: 1, outcome: "unknown", status: 0, error: "timeout" }),
    op({ user: "alice", op: "confirm", invokeAt: 3_000, ticketIds: ["t1"], reservationId: "r1", idempotencyKey: "k1", attempt: 2, bookingId: "b1" }),
    op({ user: "bob", op: "buy", invokeAt: 2_500, ticketIds: ["t2"], idempotencyKey: "k2", attempt: 1, outcome: "fail", status: 402, error: "declined" }),
  ];
  const snapshot: DatabaseSnapshot = {
    tickets: [
      { id: "t1", status: "booked", bookingId: "b1" },
      { id: "t2", status: "available", bookingId: null },
    ],
    bookings: [{ id: "b1", status: "confirmed", userId: "alice", idempotencyKey: "k1" }],
    items: [{ bookingId: "b1", ticketId: "t1", active: true }],
    payments: [
      { id: "p1", bookingId: "b1", status: "captured", providerPaymentId: "sim_1", userId: "alice", idempotencyKey: "k1" },
      { id: "p2", bookingId: null, status: "declined", providerPaymentId: null, userId: "bob", idempotencyKey: "k2" },
    ],
    provider: [
      { idempotencyKey: "a1", providerPaymentId: "sim_1", status: "captured" },
      { idempotencyKey: "a2", providerPaymentId: null, status: "declined" },
    ],
  };
  return { snapshot, history };
}

const input = (run: { snapshot: DatabaseSnapshot; history: Operation[] }, faults: FaultEvent[] = []): CheckInput => ({ ...run, faults, lockNodes: 3, holdTtlMs: 20_000 });
const broken = (result: ReturnType<typeof check>) => Object.entries(result).filter(([, violations]) => violations.length > 0).map(([name]) => name);

describe("chaos checker", () => {
  it("passes a correct run", () => {
    expect(broken(check(input(correctRun())))).toEqual([]);
  });

  it("catches a ticket in two active bookings", () => {
    const run = correctRun();
    run.snapshot.bookings.push({ id: "b9", status: "confirmed", userId: "alice", idempotencyKey: "k1" });
    run.snapshot.items.push({ bookingId: "b9", ticketId: "t1", active: true });
    run.snapshot.payments.push({ id: "p9", bookingId: "b9", status: "captured", providerPaymentId: "sim_9", userId: "alice", idempotencyKey: "k1" });
    run.snapshot.provider.push({ idempotencyKey: "a9", providerPaymentId: "sim_9", status: "captured" });
    const result = check(input(run));
    expect(broken(result)).toEqual(["one-owner"]);
    expect(result["one-owner"][0]!.message).toMatch(/t1 is in 2 active bookings/);
    expect(result["one-owner"][0]!.history.map((o) => o.op)).toEqual(["reserve", "confirm", "confirm"]);
  });

  it("catches a booked ticket without a booking", () => {
    const run = correctRun();
    run.snapshot.tickets[1]!.status = "booked";
    expect(broken(check(input(run)))).toEqual(["one-owner"]);
  });

  it("catches an authorization left standing and a capture without a booking", () => {
    const left = correctRun();
    left.snapshot.provider.push({ idempotencyKey: "a3", providerPaymentId: "sim_3", status: "authorized" });
    expect(broken(check(input(left)))).toEqual(["payments-settled"]);

    const orphan = correctRun();
    orphan.snapshot.payments.push({ id: "p4", bookingId: null, status: "captured", providerPaymentId: "sim_4", userId: "bob", idempotencyKey: "k2" });
    orphan.snapshot.provider.push({ idempotencyKey: "a4", providerPaymentId: "sim_4", status: "captured" });
    expect(check(input(orphan))["payments-settled"].map((v) => v.message)).toEqual([expect.stringMatching(/p4 is captured but its booking \(none\)/)]);

    const uncaptured = correctRun();
    uncaptured.snapshot.payments[0]!.status = "authorized";
    uncaptured.snapshot.provider[0]!.status = "authorized";
    expect(check(input(uncaptured))["payments-settled"].length).toBeGreaterThanOrEqual(2);
  });

  it("catches an acknowledged booking that is gone", () => {
    const run = correctRun();
    run.snapshot.bookings = [];
    run.snapshot.items = [];
    run.snapshot.tickets[0] = { id: "t1", status: "available", bookingId: null };
    run.snapshot.payments[0]!.status = "refunded";
    run.snapshot.provider[0]!.status = "refunded";
    const result = check(input(run));
    expect(broken(result)).toEqual(["acknowledged-durable"]);
    expect(result["acknowledged-durable"][0]!.message).toMatch(/alice was told booking b1 succeeded/);
  });

  it("catches a booking the client was told failed, but not one whose answer it never got", () => {
    const run = correctRun();
    run.snapshot.tickets[1] = { id: "t2", status: "booked", bookingId: "b2" };
    run.snapshot.bookings.push({ id: "b2", status: "confirmed", userId: "bob", idempotencyKey: "k2" });
    run.snapshot.items.push({ bookingId: "b2", ticketId: "t2", active: true });
    run.snapshot.payments[1] = { id: "p2", bookingId: "b2", status: "captured", providerPaymentId: "sim_2", userId: "bob", idempotencyKey: "k2" };
    run.snapshot.provider[1] = { idempotencyKey: "a2", providerPaymentId: "sim_2", status: "captured" };
    expect(broken(check(input(run)))).toEqual(["refused-not-booked"]);

    const bobsAnswer = run.history.find((o) => o.user === "bob")!;
    bobsAnswer.outcome = "unknown";
    bobsAnswer.status = 504;
    expect(broken(check(input(run)))).toEqual([]);
  });

  it("catches two clients told they hold one seat at overlapping times", () => {
    const run = correctRun();
    run.history.push(op({ user: "carol", op: "reserve", invokeAt: 1_500, ticketIds: ["t1"], reservationId: "r2", held: true, expiresAt: 60_000 }));
    const result = check(input(run));
    expect(broken(result)).toEqual(["exclusive-holds"]);
    expect(result["exclusive-holds"][0]!.message).toMatch(/seat t1 was held by alice .* and by carol/);
  });

  it("excuses overlapping holds when two lock masters had lost their keys", () => {
    const run = correctRun();
    run.history.push(op({ user: "carol", op: "reserve", invokeAt: 1_500, ticketIds: ["t1"], reservationId: "r2", held: true, expiresAt: 60_000 }));
    const oneNode: FaultEvent[] = [{ kind: "restart-redis", target: "redis-0", startAt: 500, endAt: 800 }];
    expect(broken(check(input(run, oneNode)))).toEqual(["exclusive-holds"]);
    const twoNodes: FaultEvent[] = [...oneNode, { kind: "restart-redis", target: "redis-1", startAt: 1_200, endAt: 1_300 }];
    expect(broken(check(input(run, twoNodes)))).toEqual([]);
  });

  it("counts a restarted master as impaired until the holds it forgot have expired", () => {
    const faults: FaultEvent[] = [
      { kind: "restart-redis", target: "redis-0", startAt: 0, endAt: 1_000 },
      { kind: "restart-redis", target: "redis-1", startAt: 15_000, endAt: 16_000 },
    ];
    expect(quorumIntact(faults, 3, 20_000, 0, 10_000)).toBe(true);
    expect(quorumIntact(faults, 3, 20_000, 0, 15_500)).toBe(false);
    expect(quorumIntact(faults, 3, 5_000, 0, 15_500)).toBe(true);
  });

  it("counts a master restarted from its fsynced append-only file as impaired only while down, and a restart delayed past the TTL for its downtime alone", () => {
    const aof: FaultEvent[] = [
      { kind: "restart-redis", target: "redis-0", startAt: 0, endAt: 1_000, persistence: "aof-always" },
      { kind: "restart-redis", target: "redis-1", startAt: 5_000, endAt: 6_000, persistence: "aof-always" },
    ];
    expect(quorumIntact(aof, 3, 20_000, 0, 10_000)).toBe(true);
    const delayed: FaultEvent[] = [
      { kind: "restart-redis", target: "redis-0", startAt: 0, endAt: 21_000, persistence: "none-delayed" },
      { kind: "restart-redis", target: "redis-1", startAt: 25_000, endAt: 46_000, persistence: "none-delayed" },
    ];
    expect(quorumIntact(delayed, 3, 20_000, 0, 30_000)).toBe(true);
    expect(quorumIntact([...delayed, { kind: "restart-redis", target: "redis-2", startAt: 10_000, endAt: 11_000 }], 3, 20_000, 0, 30_000)).toBe(false);
  });

  it("does not excuse an overlap for a partitioned or slow Redis link: its master forgot nothing", () => {
    const run = correctRun();
    run.history.push(op({ user: "bob", op: "reserve", invokeAt: 1_100, ticketIds: ["t1"], reservationId: "r2", held: true, expiresAt: 60_000 }));
    const network: FaultEvent[] = [
      { kind: "redis-partition", target: "redis-0 link", startAt: 500, endAt: 800 },
      { kind: "redis-latency", target: "redis-1 link", startAt: 900, endAt: 1_300 },
    ];
    expect(broken(check(input(run, network)))).toEqual(["exclusive-holds"]);
  });
});
