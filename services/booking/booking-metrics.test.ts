import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors/domain-error.js";
import { bookingMetrics } from "./booking-metrics.js";

async function values(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.outcome ?? ""), v.value]));
}

describe("booking metrics", () => {
  it("count reserve outcomes, the seats held, and refusals by why they failed", async () => {
    const registry = new Registry();
    const metrics = bookingMetrics(registry);
    const held = metrics.observeReserve(async (_user, eventId, ticketIds) => ({ kind: "held", reservation: { id: "r", eventId, ticketIds } as never }));
    const degraded = metrics.observeReserve(async (_user, eventId, ticketIds) => ({ kind: "degraded", eventId, ticketIds, message: "" }));
    const taken = metrics.observeReserve(async () => {
      throw new DomainError("conflict", "seat taken");
    });
    await held("u", "e", ["a", "b"]);
    await degraded("u", "e", ["c"]);
    await expect(taken("u", "e", ["d"])).rejects.toThrow("seat taken");
    expect(await values(registry, "boxoffice_booking_reserves_total")).toEqual({ held: 1, degraded: 1, refused: 1 });
    expect(await values(registry, "boxoffice_booking_held_tickets_total")).toEqual({ "": 2 });
  });

  it("count confirms booked and failed, a declined card apart from other refusals", async () => {
    const registry = new Registry();
    const metrics = bookingMetrics(registry);
    const outcomes = [
      async () => ({ id: "b" }) as never,
      async () => {
        throw new DomainError("payment_declined", "declined");
      },
      async () => {
        throw new Error("bug");
      },
    ];
    for (const outcome of outcomes) await metrics.observeConfirm(outcome)("u", {} as never).catch(() => undefined);
    expect(await values(registry, "boxoffice_booking_confirms_total")).toEqual({ booked: 1, declined: 1, error: 1 });
  });

  it("report the lock store down while its breaker is open, the recovery backlog and the dead-lettered captures", async () => {
    const registry = new Registry();
    const metrics = bookingMetrics(registry);
    metrics.lockStoreChanged("open");
    metrics.recoveryPassed(2, 5, 1);
    expect(await values(registry, "boxoffice_lock_store_available")).toEqual({ "": 0 });
    expect(await values(registry, "boxoffice_payment_recovery_backlog")).toEqual({ "": 5 });
    expect(await values(registry, "boxoffice_payment_capture_dead_letters")).toEqual({ "": 1 });
    metrics.lockStoreChanged("halfOpen");
    expect(await values(registry, "boxoffice_lock_store_available")).toEqual({ "": 1 });
  });

  it("count the payments of cancelled bookings given back, refunded apart from voided", async () => {
    const registry = new Registry();
    const metrics = bookingMetrics(registry);
    metrics.refundSettled("refunded");
    metrics.refundSettled("refunded");
    metrics.refundSettled("voided");
    expect(await values(registry, "boxoffice_booking_refunds_total")).toEqual({ refunded: 2, voided: 1 });
  });
});
