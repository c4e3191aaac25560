import { describe, expect, it } from "vitest";
import type { PaymentLedger, PaymentRecord, PaymentStatus } from "./booking-ports.js";
import { createPaymentRecovery } from "./payment-recovery.js";
import type { PaymentProvider } from "./payment-provider.js";

type ProviderState = Awaited<ReturnType<PaymentProvider["lookup"]>>;

/** One stale payment, a provider that knows `atProvider` about it, and what recovery did. */
async function recover(payment: Partial<PaymentRecord>, atProvider: ProviderState) {
  const row: PaymentRecord = {
    id: "pay-1",
    userId: "alice",
    bookingId: null,
    idempotencyKey: "alice:k1",
    providerPaymentId: null,
    amountMinor: 1_000,
    currency: "GBP",
    status: "pending",
    failureReason: null,
    ticketIds: ["t1"],
    reservationId: null,
    updatedAt: new Date(0),
    ...payment,
  };
  const calls: string[] = [];
  const ledger: PaymentLedger = {
    begin: async () => undefined,
    findByIdempotencyKey: async () => row,
    resume: async () => false,
    async transition(_id, from: PaymentStatus, to: PaymentStatus, changes = {}) {
      if (row.status !== from) return false;
      row.status = to;
      if (changes.failureReason !== undefined) row.failureReason = changes.failureReason;
      return true;
    },
    async claimStale(_olderThan, _limit, work) {
      await work({ ...row });
      return 1;
    },
    async countStale() {
      return 0;
    },
  };
  const payments: PaymentProvider = {
    name: "fake",
    authorize: async () => {
      throw new Error("recovery never authorizes");
    },
    capture: async (id, key) => void calls.push(`capture ${id} ${key}`),
    void: async (id, key) => void calls.push(`void ${id} ${key}`),
    refund: async (id, key) => void calls.push(`refund ${id} ${key}`),
    lookup: async () => atProvider,
  };
  await createPaymentRecovery({ ledger, payments, graceMs: 0 }).runOnce();
  return { row, calls };
}

describe("payment recovery decisions", () => {
  it("captures an authorized payment whose booking committed", async () => {
    const { row, calls } = await recover({ status: "authorized", bookingId: "b1", providerPaymentId: "p1" }, { providerPaymentId: "p1", status: "authorized" });
    expect(calls).toEqual(["capture p1 pay-1:capture"]);
    expect(row.status).toBe("captured");
  });

  it("voids what the provider authorized for a payment without a booking, whether the ledger saw the authorization or not", async () => {
    for (const status of ["authorized", "pending"] as const) {
      const { row, calls } = await recover({ status, providerPaymentId: status === "authorized" ? "p1" : null }, { providerPaymentId: "p1", status: "authorized" });
      expect(calls).toEqual(["void p1 pay-1:void"]);
      expect(row).toMatchObject({ status: "voided", failureReason: "interrupted_before_booking" });
    }
  });

  it("refunds a capture that has no booking behind it", async () => {
    const { row, calls } = await recover({ status: "authorized", providerPaymentId: "p1" }, { providerPaymentId: "p1", status: "captured" });
    expect(calls).toEqual(["refund p1 pay-1:refund"]);
    expect(row).toMatchObject({ status: "refunded", failureReason: "captured_without_booking" });
  });

  it("only records what the provider already settled", async () => {
    const voided = await recover({ status: "authorized", providerPaymentId: "p1" }, { providerPaymentId: "p1", status: "voided" });
    expect(voided.calls).toEqual([]);
    expect(voided.row.status).toBe("voided");
  });

  it("marks failed a payment the provider never heard of", async () => {
    const { row, calls } = await recover({ status: "pending", failureReason: "authorize_unanswered" }, undefined);
    expect(calls).toEqual([]);
    expect(row).toMatchObject({ status: "failed", failureReason: "interrupted_before_authorization" });
  });
});
