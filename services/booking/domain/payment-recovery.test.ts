import { describe, expect, it } from "vitest";
import type { PaymentLedger, PaymentRecord, PaymentStatus } from "./booking-ports.js";
import { createPaymentRecovery } from "./payment-recovery.js";
import type { PaymentProvider } from "./payment-provider.js";

type ProviderState = Awaited<ReturnType<PaymentProvider["lookup"]>>;

/**
 * One stale payment, a provider that knows `atProvider` about it, and what recovery did (every
 * ledger claim and provider call, in order). `bookedMeanwhile`: a booking commits with the
 * payment after recovery read it and before its claim.
 */
async function recover(payment: Partial<PaymentRecord>, atProvider: ProviderState, options: { bookedMeanwhile?: boolean; captureFails?: boolean; maxCaptureAttempts?: number } = {}) {
  const row: PaymentRecord = {
    id: "pay-1",
    userId: "alice",
    bookingId: null,
    idempotencyKey: "k1",
    providerPaymentId: null,
    amountMinor: 1_000,
    currency: "GBP",
    status: "pending",
    failureReason: null,
    ticketIds: ["t1"],
    reservationId: null,
    attempts: 1,
    updatedAt: new Date(0),
    ...payment,
  };
  const calls: string[] = [];
  const ledger: PaymentLedger = {
    begin: async () => undefined,
    findByIdempotencyKey: async () => row,
    resume: async () => false,
    reopenForVoid: async () => false,
    async claimUnbooked(_id, from) {
      if (options.bookedMeanwhile) Object.assign(row, { status: "authorized", bookingId: "b1", providerPaymentId: "p1" });
      const claimed = row.status === from && !row.bookingId;
      calls.push(`claim ${from} → voiding: ${claimed}`);
      if (claimed) row.status = "voiding";
      return claimed;
    },
    async transition(_id, from: PaymentStatus, to: PaymentStatus, changes = {}) {
      if (row.status !== from) return false;
      row.status = to;
      if (changes.failureReason !== undefined) row.failureReason = changes.failureReason;
      return true;
    },
    async claimStale(_olderThan, _limit, work) {
      await work({ ...row }).catch(() => undefined);
      return 1;
    },
    async countStale() {
      return 0;
    },
    async countDeadLetters() {
      return row.status === "capture_failed" ? 1 : 0;
    },
  };
  const payments: PaymentProvider = {
    name: "fake",
    authorize: async () => {
      throw new Error("recovery never authorizes");
    },
    async capture(id, key) {
      calls.push(`capture ${id} ${key}`);
      if (options.captureFails) throw new Error("provider refuses the capture");
    },
    void: async (id, key) => void calls.push(`void ${id} ${key}`),
    refund: async (id, key) => void calls.push(`refund ${id} ${key}`),
    lookup: async () => atProvider,
  };
  const recovery = createPaymentRecovery({ ledger, payments, graceMs: 0, maxCaptureAttempts: options.maxCaptureAttempts ?? 3 });
  await recovery.runOnce();
  return { row, calls, deadLetters: await recovery.deadLetters() };
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
      expect(calls).toEqual([`claim ${status} → voiding: true`, "void p1 pay-1:void"]);
      expect(row).toMatchObject({ status: "voided", failureReason: "interrupted_before_booking" });
    }
  });

  it("refunds a capture that has no booking behind it", async () => {
    const { row, calls } = await recover({ status: "authorized", providerPaymentId: "p1" }, { providerPaymentId: "p1", status: "captured" });
    expect(calls).toEqual(["claim authorized → voiding: true", "refund p1 pay-1:refund"]);
    expect(row).toMatchObject({ status: "refunded", failureReason: "captured_without_booking" });
  });

  it("only records what the provider already settled", async () => {
    const voided = await recover({ status: "authorized", providerPaymentId: "p1" }, { providerPaymentId: "p1", status: "voided" });
    expect(voided.calls).toEqual(["claim authorized → voiding: true"]);
    expect(voided.row.status).toBe("voided");
  });

  it("marks failed a payment the provider never heard of", async () => {
    const { row, calls } = await recover({ status: "pending", failureReason: "authorize_unanswered" }, undefined);
    expect(calls).toEqual(["claim pending → voiding: true"]);
    expect(row).toMatchObject({ status: "failed", failureReason: "interrupted_before_authorization" });
  });

  it("claims a payment before asking the provider anything, and leaves it alone when a booking committed first", async () => {
    const { row, calls } = await recover({ status: "pending" }, { providerPaymentId: "p1", status: "authorized" }, { bookedMeanwhile: true });
    expect(calls).toEqual(["claim pending → voiding: false"]);
    expect(row).toMatchObject({ status: "authorized", bookingId: "b1" });
  });

  it("finishes a payment a worker claimed and died on, without claiming it again", async () => {
    const { row, calls } = await recover({ status: "voiding" }, { providerPaymentId: "p1", status: "authorized" });
    expect(calls).toEqual(["void p1 pay-1:void"]);
    expect(row.status).toBe("voided");
  });

  it("retries a failing capture until its last attempt, then dead-letters it", async () => {
    const booked = { status: "authorized", bookingId: "b1", providerPaymentId: "p1" } as const;
    const retried = await recover({ ...booked, attempts: 2 }, { providerPaymentId: "p1", status: "voided" }, { captureFails: true, maxCaptureAttempts: 3 });
    expect(retried.row.status).toBe("authorized");
    expect(retried.deadLetters).toBe(0);
    const given = await recover({ ...booked, attempts: 3 }, { providerPaymentId: "p1", status: "voided" }, { captureFails: true, maxCaptureAttempts: 3 });
    expect(given.calls).toEqual(["capture p1 pay-1:capture"]);
    expect(given.row).toMatchObject({ status: "capture_failed", failureReason: "capture_retries_exhausted" });
    expect(given.deadLetters).toBe(1);
  });
});
