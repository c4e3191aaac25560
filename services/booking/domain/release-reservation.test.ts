import { describe, expect, it } from "vitest";
import type { TicketHolds } from "../../shared/holds/ticket-holds.js";
import type { Reservation } from "./booking-types.js";
import { createReleaseReservation } from "./release-reservation.js";

describe("release decisions", () => {
  const released: string[] = [];
  const holds: TicketHolds = {
    hold: async () => ({ kind: "unavailable", reason: "release never holds" }),
    release: async ({ ticketIds, token, recordKey }) => void released.push(`${ticketIds.join(",")} ${token} ${recordKey}`),
    claim: async () => ({ kind: "unavailable", reason: "release never claims" }),
    holders: async () => new Map(),
    eventHolds: async () => new Map(),
    readRecord: async () => undefined,
  };
  const stored = new Map<string, Reservation>();
  const release = createReleaseReservation({
    holds,
    reservations: {
      record: () => {
        throw new Error("release never records");
      },
      recordKey: (id) => `reservation:${id}`,
      // The release deletes the record with the holds: the fake store forgets it the same way.
      find: async (id) => (released.some((line) => line.endsWith(`reservation:${id}`)) ? undefined : stored.get(id)),
    },
    publisher: { publish: async () => undefined },
  });

  it("a reservation released once is gone: the second release says it may have expired or been confirmed or released", async () => {
    stored.set("r1", { id: "r1", userId: "alice", eventId: "e1", ticketIds: ["t1"], holdToken: "tok", expiresAt: new Date("2030-01-01T00:00:00Z") });
    await release("alice", "r1");
    expect(released).toEqual(["t1 tok reservation:r1"]);
    await expect(release("alice", "r1")).rejects.toMatchObject({
      kind: "not_found",
      message: "reservation r1 does not exist: it expired, or was already confirmed or released",
      details: { field: "reservation_id" },
    });
    expect(released).toHaveLength(1);
  });

  it("answers without waiting for the seat-map notification: a bus Redis that hangs (partitioned) must not hold the buyer (chaos run, issue 15)", async () => {
    const notified: string[] = [];
    const hangingBus = createReleaseReservation({
      holds,
      reservations: { record: () => ({ key: "", value: () => "" }), recordKey: (id) => `reservation:${id}`, find: async (id) => stored.get(id) },
      publisher: {
        publish: (_eventId, changes) => {
          notified.push(...changes.map((change) => `${change.ticketId}:${change.status}`));
          return new Promise<void>(() => undefined);
        },
      },
    });
    stored.set("r2", { id: "r2", userId: "alice", eventId: "e1", ticketIds: ["t2"], holdToken: "tok2", expiresAt: new Date("2030-01-01T00:00:00Z") });
    const answered = await Promise.race([hangingBus("alice", "r2").then(() => "released"), new Promise((resolve) => setTimeout(() => resolve("still waiting"), 500))]);
    expect(answered).toBe("released");
    expect(notified).toEqual(["t2:available"]);
  });
});
