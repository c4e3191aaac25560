/**
 * What the spike sold, read from the database and the payment ledger once every payment has
 * settled, by direct queries of the tables (migrations 003 tickets/bookings/booking_items,
 * 004 payments, 011 simulated_payments: the simulated provider's own books). Each scenario has a
 * database of its own, so every payment row is the spike's.
 */
import type { Knex } from "knex";
import type { BuyerRecord } from "./spike-recorder.js";

export interface SaleCheck {
  capacity: number;
  sold: number;
  /** Seats of the buyers told their purchase succeeded, summed. */
  acknowledgedSeats: number;
  /** Seats sold twice: in two active bookings, claimed by an item the ticket does not name, or told to two buyers. */
  oversold: number;
  /** Captured payments without a confirmed booking holding booked tickets, and captures at the provider the ledger does not have as captured. */
  chargesWithoutTicket: number;
  /** Authorizations the provider still holds (money held on a card, no ticket for it). */
  openAuthorizations: number;
  /** Booked tickets whose booking has no capture at the provider, and confirmed bookings without exactly one capture. */
  ticketsWithoutCapture: number;
  /** Buyers told "bought" whose booking the database does not have as theirs with those seats. */
  acknowledgedLost: number;
  /** Ledger rows still pending, authorized or voiding when the check ran (recovery had not finished). */
  unsettled: number;
  /** Each confirmed booking: when it was made (epoch ms) and how many tickets. */
  sales: Array<{ atMs: number; tickets: number }>;
}

const count = async (db: Knex, sql: string, bindings: readonly unknown[] = []) => Number(((await db.raw(sql, bindings as never)).rows[0] as { n: string }).n);

export async function checkSale(db: Knex, eventId: string, buyers: readonly BuyerRecord[]): Promise<SaleCheck> {
  const capacity = await count(db, "SELECT count(*) AS n FROM tickets WHERE event_id = ?", [eventId]);
  const sold = await count(db, "SELECT count(*) AS n FROM tickets WHERE event_id = ? AND status = 'booked'", [eventId]);

  const twoOwners = await count(
    db,
    `SELECT count(*) AS n FROM (SELECT bi.ticket_id FROM booking_items bi JOIN bookings b ON b.id = bi.booking_id
       WHERE b.event_id = ? AND b.status = 'confirmed' AND bi.active GROUP BY bi.ticket_id HAVING count(*) > 1) owners`,
    [eventId],
  );
  const bookedWithoutItem = await count(
    db,
    `SELECT count(*) AS n FROM tickets t LEFT JOIN bookings b ON b.id = t.booking_id
       WHERE t.event_id = ? AND t.status = 'booked' AND (b.status IS DISTINCT FROM 'confirmed'
         OR NOT EXISTS (SELECT 1 FROM booking_items bi WHERE bi.booking_id = t.booking_id AND bi.ticket_id = t.id AND bi.active))`,
    [eventId],
  );
  const itemNotTheTicketsBooking = await count(
    db,
    `SELECT count(*) AS n FROM booking_items bi JOIN bookings b ON b.id = bi.booking_id JOIN tickets t ON t.id = bi.ticket_id
       WHERE b.event_id = ? AND b.status = 'confirmed' AND bi.active AND (t.status <> 'booked' OR t.booking_id IS DISTINCT FROM b.id)`,
    [eventId],
  );
  const toldTwice = seatsToldTwice(buyers);

  const capturedWithoutTicket = await count(
    db,
    `SELECT count(*) AS n FROM payments p LEFT JOIN bookings b ON b.id = p.booking_id
       WHERE p.status = 'captured' AND (b.id IS NULL OR b.status <> 'confirmed'
         OR NOT EXISTS (SELECT 1 FROM tickets t WHERE t.booking_id = b.id AND t.status = 'booked'))`,
  );
  const providerCapturedOnly = await count(
    db,
    `SELECT count(*) AS n FROM simulated_payments s LEFT JOIN payments p ON p.provider_payment_id = s.provider_payment_id
       WHERE s.status = 'captured' AND (p.id IS NULL OR p.status <> 'captured')`,
  );
  const openAuthorizations = await count(db, "SELECT count(*) AS n FROM simulated_payments WHERE status = 'authorized'");

  const bookedUncaptured = await count(
    db,
    `SELECT count(*) AS n FROM tickets t WHERE t.event_id = ? AND t.status = 'booked' AND NOT EXISTS (
       SELECT 1 FROM payments p JOIN simulated_payments s ON s.provider_payment_id = p.provider_payment_id
        WHERE p.booking_id = t.booking_id AND p.status = 'captured' AND s.status = 'captured' AND p.amount_minor = s.amount_minor)`,
    [eventId],
  );
  const bookingsNotOneCapture = await count(
    db,
    `SELECT count(*) AS n FROM bookings b WHERE b.event_id = ? AND b.status = 'confirmed'
       AND (SELECT count(*) FROM payments p WHERE p.booking_id = b.id AND p.status = 'captured') <> 1`,
    [eventId],
  );
  const unsettled = await count(db, "SELECT count(*) AS n FROM payments WHERE status IN ('pending', 'authorized', 'voiding')");

  const bookings = (await db.raw(
    `SELECT b.id, b.user_id, b.status, (extract(epoch FROM b.created_at) * 1000)::float8 AS at_ms,
            coalesce(array_agg(bi.ticket_id::text ORDER BY bi.ticket_id) FILTER (WHERE bi.active), '{}') AS tickets
       FROM bookings b LEFT JOIN booking_items bi ON bi.booking_id = b.id
      WHERE b.event_id = ? GROUP BY b.id`,
    [eventId],
  )).rows as Array<{ id: string; user_id: string; status: string; at_ms: number; tickets: string[] }>;
  const byId = new Map(bookings.map((booking) => [booking.id, booking]));
  const bought = buyers.filter((buyer) => buyer.outcome === "bought");
  const acknowledgedLost = bought.filter((buyer) => {
    const booking = buyer.bookingId ? byId.get(buyer.bookingId) : undefined;
    return !booking || booking.status !== "confirmed" || booking.user_id !== buyer.userId || [...buyer.ticketIds].sort().join() !== booking.tickets.join();
  }).length;

  return {
    capacity,
    sold,
    acknowledgedSeats: bought.reduce((sum, buyer) => sum + buyer.ticketIds.length, 0),
    oversold: twoOwners + bookedWithoutItem + itemNotTheTicketsBooking + toldTwice,
    chargesWithoutTicket: capturedWithoutTicket + providerCapturedOnly,
    openAuthorizations,
    ticketsWithoutCapture: bookedUncaptured + bookingsNotOneCapture,
    acknowledgedLost,
    unsettled,
    sales: bookings.filter((booking) => booking.status === "confirmed").map((booking) => ({ atMs: Number(booking.at_ms), tickets: booking.tickets.length })),
  };
}

/** Seats two buyers were each told they bought. */
function seatsToldTwice(buyers: readonly BuyerRecord[]): number {
  const owner = new Map<string, string>();
  let twice = 0;
  for (const buyer of buyers) {
    if (buyer.outcome !== "bought") continue;
    for (const ticketId of buyer.ticketIds) {
      const first = owner.get(ticketId);
      if (first !== undefined && first !== buyer.userId) twice += 1;
      else owner.set(ticketId, buyer.userId);
    }
  }
  return twice;
}

/** Waits for the payments to settle (the recovery worker finishes what a timeout left), up to timeoutMs. */
export async function untilPaymentsSettle(db: Knex, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const open = await count(
      db,
      `SELECT (SELECT count(*) FROM payments WHERE status IN ('pending', 'authorized', 'voiding'))
            + (SELECT count(*) FROM simulated_payments WHERE status = 'authorized') AS n`,
    );
    if (open === 0 || Date.now() - started > timeoutMs) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
