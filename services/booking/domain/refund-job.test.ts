import { describe, expect, it } from "vitest";
import type { PaymentProvider } from "./payment-provider.js";
import { createRefundJob } from "./refund-job.js";
import type { CancellationStore, RefundingPayment } from "./refund-ports.js";

type ProviderState = "authorized" | "captured" | "voided" | "refunded";

/** A provider keyed like the real ones: one state per authorize key, calls recorded with their keys. */
function fakeProvider(states: Record<string, ProviderState | undefined>, failing = new Set<string>()) {
  const calls: string[] = [];
  const provider: PaymentProvider = {
    name: "fake",
    authorize: async () => {
      throw new Error("not used");
    },
    capture: async () => undefined,
    async void(providerPaymentId, key) {
      calls.push(`void ${providerPaymentId} ${key}`);
    },
    async refund(providerPaymentId, key) {
      if (failing.has(providerPaymentId)) throw new Error("provider down");
      calls.push(`refund ${providerPaymentId} ${key}`);
    },
    async lookup(key) {
      const status = states[key];
      return status ? { providerPaymentId: `pp-${key}`, status } : undefined;
    },
  };
  return { provider, calls };
}

function fakeStore() {
  const settled: string[] = [];
  const store = {
    async settleRefund(paymentId: string, to: string) {
      settled.push(`${paymentId} ${to}`);
      return true;
    },
  } as unknown as CancellationStore;
  return { store, settled };
}

const payment = (id: string): RefundingPayment => ({ id, bookingId: `b-${id}`, providerPaymentId: `pp-${id}` });

describe("the refund job", () => {
  it("refunds a capture and voids an authorization, each under a key derived from the payment id", async () => {
    const { provider, calls } = fakeProvider({ p1: "captured", p2: "authorized" });
    const { store, settled } = fakeStore();
    const outcome = await createRefundJob({ store, payments: provider, graceMs: 0 }).run([payment("p1"), payment("p2")]);
    expect(outcome).toEqual({ settled: 2, pending: 0 });
    expect(calls).toEqual(["refund pp-p1 p1:refund", "void pp-p2 p2:void"]);
    expect(settled).toEqual(["p1 refunded", "p2 voided"]);
  });

  it("a payment the provider already gave back is recorded, not given back again (the re-run after a crash)", async () => {
    const { provider, calls } = fakeProvider({ p1: "refunded", p2: "voided" });
    const { store, settled } = fakeStore();
    await createRefundJob({ store, payments: provider, graceMs: 0 }).run([payment("p1"), payment("p2")]);
    expect(calls).toEqual([]);
    expect(settled).toEqual(["p1 refunded", "p2 voided"]);
  });

  it("a provider failure leaves that payment open and goes on with the next", async () => {
    const { provider, calls } = fakeProvider({ p1: "captured", p2: "captured", p3: undefined }, new Set(["pp-p1"]));
    const { store, settled } = fakeStore();
    const outcome = await createRefundJob({ store, payments: provider, graceMs: 0 }).run([payment("p1"), payment("p2"), payment("p3")]);
    expect(outcome).toEqual({ settled: 1, pending: 2 });
    expect(calls).toEqual(["refund pp-p2 p2:refund"]);
    expect(settled).toEqual(["p2 refunded"]);
  });

  it("a crash after the provider refunded stops the run before the ledger records it", async () => {
    const { provider } = fakeProvider({ p1: "captured", p2: "captured" });
    const { store, settled } = fakeStore();
    const job = createRefundJob({
      store,
      payments: provider,
      graceMs: 0,
      faults: {
        async afterRefund(id) {
          if (id === "p1") throw new Error("crash");
        },
      },
    });
    await expect(job.run([payment("p1"), payment("p2")])).rejects.toThrow("crash");
    expect(settled).toEqual([]);
  });

  it("the worker takes refunds left open longer than the grace, and counts those still owed", async () => {
    const { provider } = fakeProvider({ p1: "captured" });
    let olderThan: Date | undefined;
    const store = {
      async claimStaleRefunds(before: Date, _limit: number, work: (p: RefundingPayment) => Promise<void>) {
        olderThan = before;
        await work(payment("p1"));
        return 1;
      },
      settleRefund: async () => true,
      countStaleRefunds: async (before: Date) => (before.getTime() === new Date("2026-12-03T09:59:00Z").getTime() ? 4 : -1),
    } as unknown as CancellationStore;
    const settledAs: string[] = [];
    const job = createRefundJob({ store, payments: provider, graceMs: 60_000, clock: () => new Date("2026-12-03T10:00:00Z"), onSettled: (to) => void settledAs.push(to) });
    expect(await job.runOnce()).toBe(1);
    expect(olderThan).toEqual(new Date("2026-12-03T09:59:00Z"));
    expect(await job.backlog()).toBe(4);
    expect(settledAs).toEqual(["refunded"]);
  });
});
