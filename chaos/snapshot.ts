import type { Knex } from "knex";
import type { DatabaseSnapshot } from "./checker.js";

/** The rows the checker judges: tickets, bookings and their items, the ledger, the provider's books. */
export async function readSnapshot(db: Knex, eventId: string): Promise<DatabaseSnapshot> {
  const [tickets, bookings, items, payments, provider] = await Promise.all([
    db("tickets").where({ event_id: eventId }).select("id", "status", "booking_id"),
    db("bookings").select("id", "status", "user_id", "idempotency_key"),
    db("booking_items").select("booking_id", "ticket_id", "active"),
    db("payments").select("id", "booking_id", "status", "provider_payment_id", "user_id", "idempotency_key"),
    db("simulated_payments").select("idempotency_key", "provider_payment_id", "status"),
  ]);
  return {
    tickets: tickets.map((t) => ({ id: t.id, status: t.status, bookingId: t.booking_id })),
    bookings: bookings.map((b) => ({ id: b.id, status: b.status, userId: b.user_id, idempotencyKey: b.idempotency_key })),
    items: items.map((i) => ({ bookingId: i.booking_id, ticketId: i.ticket_id, active: i.active })),
    payments: payments.map((p) => ({ id: p.id, bookingId: p.booking_id, status: p.status, providerPaymentId: p.provider_payment_id, userId: p.user_id, idempotencyKey: p.idempotency_key })),
    provider: provider.map((p) => ({ idempotencyKey: p.idempotency_key, providerPaymentId: p.provider_payment_id, status: p.status })),
  };
}

/**
 * Waits until the recovery workers have finished every payment a fault interrupted: nothing
 * pending, authorized or being voided in the ledger, nothing authorized at the provider.
 */
export async function untilSettled(db: Knex, timeoutMs: number): Promise<{ settled: boolean; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    // A connection the pool opened before a PostgreSQL restart fails once: ask again.
    const counts = await Promise.all([
      db("payments").whereIn("status", ["pending", "authorized", "voiding"]).count({ n: "*" }),
      db("simulated_payments").where({ status: "authorized" }).count({ n: "*" }),
    ]).catch(() => undefined);
    if (counts && Number(counts[0][0]?.n) === 0 && Number(counts[1][0]?.n) === 0) return { settled: true, waitedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) return { settled: false, waitedMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
