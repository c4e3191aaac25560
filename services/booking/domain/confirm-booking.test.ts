import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors/domain-error.js";
import { holderOf, holderToken } from "../../shared/holds/holder-token.js";
import { HoldsUnavailableError, type TicketHolds } from "../../shared/holds/ticket-holds.js";
import type { BookingOrder, BookingSettings, PaymentLedger, PaymentRecord, ReservationStore, TicketInventory } from "./booking-ports.js";
import type { Booking, InventoryTicket, Reservation, SaleEvent } from "./booking-types.js";
import { createConfirmBooking, type ConfirmRequest } from "./confirm-booking.js";
import type { AuthorizeResult, PaymentProvider } from "./payment-provider.js";

// The confirm flow's decisions with every port faked inline: no database, no Redis, no provider.

const EVENT = "e1";

function world(overrides: Partial<BookingSettings> = {}) {
  const tickets = new Map<string, InventoryTicket>(
    ["t1", "t2", "t3"].map((id, index) => [id, { id, eventId: EVENT, section: "A", row: "1", seat: index + 1, priceMinor: 1_000, currency: "GBP", booked: false }]),
  );
  const event: SaleEvent = {
    id: EVENT,
    name: "Late Laughs",
    status: "scheduled",
    onSaleAt: null,
    startsAt: new Date(Date.now() + 86_400_000),
    timeZone: "Europe/London",
    sectionNames: { A: "Stalls" },
  };
  const payments = new Map<string, PaymentRecord>();
  const bookings: Booking[] = [];
  let ids = 0;

  const ledger: PaymentLedger = {
    async begin(payment) {
      if ([...payments.values()].some((p) => p.userId === payment.userId && p.idempotencyKey === payment.idempotencyKey)) return undefined;
      const record: PaymentRecord = { ...payment, id: `pay-${++ids}`, status: "pending", bookingId: null, providerPaymentId: null, failureReason: null, attempts: 0, updatedAt: new Date() };
      payments.set(record.id, record);
      return { ...record };
    },
    async findByIdempotencyKey(userId, key) {
      const found = [...payments.values()].find((p) => p.userId === userId && p.idempotencyKey === key);
      return found && { ...found };
    },
    async transition(id, from, to, changes = {}) {
      const payment = payments.get(id);
      if (payment?.status !== from) return false;
      Object.assign(payment, { status: to }, changes.providerPaymentId ? { providerPaymentId: changes.providerPaymentId } : {});
      if (changes.failureReason !== undefined) payment.failureReason = changes.failureReason;
      return true;
    },
    async claimUnbooked(id, from) {
      const payment = payments.get(id);
      if (payment?.status !== from || payment.bookingId) return false;
      payment.status = "voiding";
      return true;
    },
    async reopenForVoid(id, providerPaymentId) {
      const payment = payments.get(id);
      if (!payment || !["voiding", "failed"].includes(payment.status) || payment.bookingId) return false;
      Object.assign(payment, { status: "voiding", providerPaymentId, failureReason: null });
      return true;
    },
    async resume(id) {
      const payment = payments.get(id);
      if (payment?.status !== "pending" || payment.failureReason !== "authorize_unanswered") return false;
      payment.failureReason = null;
      return true;
    },
    async claimStale() {
      return 0;
    },
    async countStale() {
      return 0;
    },
    async countDeadLetters() {
      return 0;
    },
  };

  const inventory: TicketInventory = {
    async findEvent(eventId) {
      return eventId === event.id ? { ...event } : undefined;
    },
    async findTickets(ticketIds) {
      return ticketIds.flatMap((id) => (tickets.has(id) ? [{ ...tickets.get(id)! }] : []));
    },
    async findBookingByIdempotencyKey(userId, key) {
      return bookings.find((b) => b.userId === userId && (b as Booking & { key: string }).key === key);
    },
    // As the database function: the pending payment becomes authorized in the same step as the sale.
    async bookTickets(order: BookingOrder) {
      const payment = payments.get(order.paymentId)!;
      if (payment.status !== "pending") return { kind: "lost", reason: "payment_not_authorized", paymentRecorded: false };
      Object.assign(payment, { status: "authorized", providerPaymentId: order.providerPaymentId });
      if (order.tickets.some((t) => tickets.get(t.id)!.booked)) return { kind: "lost", reason: "seat_taken", paymentRecorded: true };
      for (const t of order.tickets) tickets.get(t.id)!.booked = true;
      payment.bookingId = order.bookingId;
      const booking = {
        id: order.bookingId,
        userId: order.userId,
        eventId: order.eventId,
        status: "confirmed" as const,
        totalMinor: order.totalMinor,
        currency: order.currency,
        createdAt: new Date(),
        tickets: order.tickets.map((t) => ({ ticketId: t.id, section: t.section, row: t.row, seat: t.seat, priceMinor: t.priceMinor })),
        key: order.idempotencyKey,
        reservationId: order.reservationId,
      };
      bookings.push(booking);
      return { kind: "booked", booking };
    },
  };

  const held = new Map<string, string>();
  const holds: TicketHolds & { unreachable: boolean } = {
    unreachable: false,
    async hold() {
      throw new Error("confirm never takes holds");
    },
    async release({ ticketIds, token, recordKey }) {
      for (const id of ticketIds) if (held.get(id) === token) held.delete(id);
      if (recordKey) stored.delete(recordKey.slice("reservation:".length));
    },
    async claim({ ticketIds, userId, token }) {
      if (this.unreachable) return { kind: "unavailable", reason: "no quorum" };
      const others = new Map(ticketIds.filter((id) => held.has(id) && holderOf(held.get(id)!) !== userId).map((id) => [id, held.get(id)!]));
      if (others.size > 0) return { kind: "taken", ticketIds: [...others.keys()], holders: others };
      for (const id of ticketIds) if (!held.has(id)) held.set(id, token);
      return { kind: "claimed" };
    },
    async holders(ticketIds) {
      if (this.unreachable) throw new HoldsUnavailableError("no quorum");
      return new Map(ticketIds.filter((id) => held.has(id)).map((id) => [id, held.get(id)!]));
    },
    eventHolds: async () => new Map(),
    readRecord: async () => undefined,
  };

  const stored = new Map<string, Reservation>();
  const reservations: ReservationStore & { unreachable: boolean; beforeFind?: () => Promise<void> } = {
    unreachable: false,
    record: () => {
      throw new Error("confirm never records a reservation");
    },
    recordKey: (id) => `reservation:${id}`,
    async find(id) {
      await this.beforeFind?.();
      if (this.unreachable) throw new HoldsUnavailableError("no quorum");
      return stored.get(id);
    },
  };

  /** Answers authorize from a script (then approves), records every call. */
  const provider = {
    script: [] as Array<AuthorizeResult | "unreachable">,
    calls: [] as string[],
    authorizedKeys: new Set<string>(),
    name: "fake",
    async authorize(request: { idempotencyKey: string }): Promise<AuthorizeResult> {
      provider.calls.push(`authorize ${request.idempotencyKey}`);
      const next = provider.script.shift() ?? { kind: "authorized", providerPaymentId: `prov-${request.idempotencyKey}` };
      if (next === "unreachable") throw new Error("provider unreachable");
      return next;
    },
    voidFails: false,
    async capture(id: string) {
      provider.calls.push(`capture ${id}`);
    },
    async void(id: string) {
      provider.calls.push(`void ${id}`);
      if (provider.voidFails) throw new Error("void failed");
    },
    async refund(id: string) {
      provider.calls.push(`refund ${id}`);
    },
    async lookup() {
      return undefined;
    },
  } satisfies PaymentProvider & Record<string, unknown>;

  const published: string[] = [];
  /** The seat-status bus's Redis is partitioned: a publish never completes. */
  const bus = { hangs: false };
  const confirm = createConfirmBooking({
    holds,
    reservations,
    inventory,
    ledger,
    payments: provider,
    publisher: {
      publish(_eventId, changes) {
        published.push(...changes.map((change) => `${change.ticketId}:${change.status}`));
        return bus.hangs ? new Promise<void>(() => undefined) : Promise.resolve();
      },
    },
    settings: { holdTtlMs: 60_000, maxTicketsPerOrder: 8, idempotencyWaitMs: 300, confirmDeadlineMs: 5_000, paymentTimeoutMs: 1_000, ...overrides },
    newId: () => `id-${++ids}`,
  });

  function reserve(userId: string, ticketIds: string[], id = `res-${++ids}`): Reservation {
    const reservation = { id, userId, eventId: EVENT, ticketIds, holdToken: holderToken(userId, id), expiresAt: new Date(Date.now() + 60_000) };
    for (const ticketId of ticketIds) held.set(ticketId, reservation.holdToken);
    stored.set(id, reservation);
    return reservation;
  }

  /** Another buyer's transaction takes this seat while the provider authorizes. */
  function sellDuringAuthorize(ticketId: string) {
    const authorize = provider.authorize;
    provider.authorize = async (request) => {
      const result = await authorize(request);
      tickets.get(ticketId)!.booked = true;
      return result;
    };
  }

  return { confirm, reserve, sellDuringAuthorize, event, tickets, payments, bookings, held, stored, holds, reservations, provider, published, bus };
}

const card = (number = "4242424242424242") => ({ number, expMonth: 12, expYear: 2030, cvc: "123", holderName: "T" });
const byIds = (ticketIds: string[], idempotencyKey: string): ConfirmRequest => ({ eventId: EVENT, ticketIds, card: card(), idempotencyKey });

async function refusal(call: Promise<unknown>): Promise<DomainError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("the confirm succeeded");
}

describe("confirm flow decisions", () => {
  it("a reservation is authorized, booked and captured, and its holds and record are released", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1", "t2"]);
    const booking = await w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" });
    expect(booking.tickets.map((t) => t.ticketId)).toEqual(["t1", "t2"]);
    const [payment] = w.payments.values();
    expect(payment).toMatchObject({ status: "captured", bookingId: booking.id, amountMinor: 2_000, reservationId: reservation.id });
    expect(w.provider.calls).toEqual([`authorize ${payment!.id}`, `capture prov-${payment!.id}`]);
    expect(w.held.size).toBe(0);
    expect(w.stored.size).toBe(0);
    expect(w.published).toEqual(["t1:booked", "t2:booked"]);
  });

  it("answers a paid booking without waiting for the seat-map notification: a bus Redis that hangs (partitioned) must not hold it (chaos run, issue 15)", async () => {
    const w = world();
    w.bus.hangs = true;
    const reservation = w.reserve("alice", ["t1"]);
    const answered = await Promise.race([
      w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" }).then((booking) => booking.status),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 500)),
    ]);
    expect(answered).toBe("confirmed");
    expect(w.published).toEqual(["t1:booked"]);
  });

  it("the holder confirms their held seats by ticket ids, and their hold is released", async () => {
    const w = world();
    w.reserve("alice", ["t1"]);
    await w.confirm("alice", byIds(["t1"], "k1"));
    expect(w.held.size).toBe(0);
  });

  it("seats held by another buyer are refused before any charge, naming the seats", async () => {
    const w = world();
    w.reserve("bob", ["t2"]);
    expect(await refusal(w.confirm("alice", byIds(["t1", "t2"], "k1")))).toMatchObject({
      kind: "conflict",
      message: expect.stringMatching(/^held by another buyer: Stalls row 1 seat 2;/),
      details: { reason: "held", ticketIds: ["t2"] },
    });
    expect(w.payments.size).toBe(0);
    expect(w.provider.calls).toEqual([]);
  });

  it("another buyer's reservation is PERMISSION_DENIED", async () => {
    const w = world();
    const reservation = w.reserve("bob", ["t1"]);
    expect((await refusal(w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" }))).kind).toBe("permission_denied");
  });

  it("a reservation with other ticket ids than its own is refused, naming ticket_ids", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1"]);
    expect(await refusal(w.confirm("alice", { reservationId: reservation.id, eventId: EVENT, ticketIds: ["t2"], card: card(), idempotencyKey: "k1" }))).toMatchObject({
      kind: "invalid",
      details: { field: "ticket_ids" },
    });
  });

  it("a declined card records the decline, books nothing and leaves the hold", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1"]);
    w.provider.script.push({ kind: "declined", reason: "insufficient_funds" });
    const error = await refusal(w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" }));
    expect(error).toMatchObject({ kind: "payment_declined", details: { reason: "insufficient_funds" } });
    expect(error.message).toMatch(/stay held until/);
    expect([...w.payments.values()].map((p) => p.status)).toEqual(["declined"]);
    expect(w.tickets.get("t1")!.booked).toBe(false);
    expect(w.held.get("t1")).toBe(reservation.holdToken);
    // The same key again answers the same decline without asking the provider.
    expect((await refusal(w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" }))).kind).toBe("payment_declined");
    expect(w.provider.calls).toHaveLength(1);
  });

  it("an invalid card number is INVALID_ARGUMENT naming the card field", async () => {
    const w = world();
    w.provider.script.push({ kind: "declined", reason: "invalid_card" });
    expect(await refusal(w.confirm("alice", byIds(["t1"], "k1")))).toMatchObject({ kind: "invalid", details: { field: "payment_details.card_number" } });
  });

  it("a lost transaction voids the authorization and answers ABORTED, not charged", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1"]);
    w.sellDuringAuthorize("t1");
    const error = await refusal(w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" }));
    expect(error).toMatchObject({ kind: "aborted", details: { reason: "seat_taken" } });
    expect(error.message).toMatch(/not been charged/);
    const [payment] = w.payments.values();
    expect(payment).toMatchObject({ status: "voided", bookingId: null, failureReason: "seat_taken" });
    expect(w.provider.calls.at(-1)).toBe(`void prov-${payment!.id}`);
  });

  it("a lost transaction whose void fails leaves the payment authorized for recovery", async () => {
    const w = world();
    w.provider.voidFails = true;
    w.sellDuringAuthorize("t1");
    expect((await refusal(w.confirm("alice", byIds(["t1"], "k1")))).kind).toBe("aborted");
    expect([...w.payments.values()][0]).toMatchObject({ status: "authorized", bookingId: null });
  });

  it("an unanswered authorize is recorded, and the same key retried takes the attempt over with the same provider key", async () => {
    const w = world();
    w.provider.script.push("unreachable");
    expect(await refusal(w.confirm("alice", byIds(["t1"], "k1")))).toMatchObject({ kind: "unavailable", details: { reason: "payment_provider_unavailable" } });
    const [payment] = w.payments.values();
    expect(payment).toMatchObject({ status: "pending", failureReason: "authorize_unanswered" });
    const booking = await w.confirm("alice", byIds(["t1"], "k1"));
    expect(w.payments.size).toBe(1);
    expect(payment).toMatchObject({ status: "captured", bookingId: booking.id, failureReason: null });
    expect(w.provider.calls.filter((call) => call.startsWith("authorize"))).toEqual([`authorize ${payment!.id}`, `authorize ${payment!.id}`]);
  });

  it("a check that fails because a same-key attempt finished meanwhile answers that attempt's booking", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1"]);
    const request = { reservationId: reservation.id, card: card(), idempotencyKey: "k1" };
    let first: Booking | undefined;
    // This request read no ledger row; before its reservation lookup the other attempt completes.
    w.reservations.beforeFind = async () => {
      w.reservations.beforeFind = undefined;
      first = await w.confirm("alice", request);
    };
    const late = await w.confirm("alice", request);
    expect(late.id).toBe(first!.id);
    expect(w.payments.size).toBe(1);
  });

  it("a key replayed with another reservation or other tickets is refused, naming idempotency_key", async () => {
    const w = world();
    const one = w.reserve("alice", ["t1"]);
    const other = w.reserve("alice", ["t2"]);
    await w.confirm("alice", { reservationId: one.id, card: card(), idempotencyKey: "k1" });
    for (const replay of [{ reservationId: other.id }, { eventId: EVENT, ticketIds: ["t2"] }]) {
      expect(await refusal(w.confirm("alice", { ...replay, card: card(), idempotencyKey: "k1" }))).toMatchObject({
        kind: "invalid",
        details: { field: "idempotency_key" },
      });
    }
  });

  it("an unreadable reservation store: UNAVAILABLE saying what to send, or with the seats given, a direct purchase", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1"]);
    w.reservations.unreachable = true;
    w.holds.unreachable = true;
    const error = await refusal(w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" }));
    expect(error).toMatchObject({ kind: "unavailable", details: { field: "reservation_id", reason: "reservations_unreachable" } });
    expect(error.message).toMatch(/event_id and ticket_ids/);
    expect(w.payments.size).toBe(0);

    const booking = await w.confirm("alice", { reservationId: reservation.id, eventId: EVENT, ticketIds: ["t1"], card: card(), idempotencyKey: "k1" });
    expect(booking.tickets.map((t) => t.ticketId)).toEqual(["t1"]);
    expect((booking as Booking & { reservationId: string | null }).reservationId).toBeNull();
  });

  it("a same-key attempt still in flight past the wait answers ABORTED in progress", async () => {
    const w = world();
    w.provider.authorize = () => new Promise(() => undefined);
    void w.confirm("alice", byIds(["t1"], "k1"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await refusal(w.confirm("alice", byIds(["t1"], "k1")))).toMatchObject({ kind: "aborted", details: { reason: "in_progress" } });
  });

  it("a reservation taken while on sale is not confirmed once the event is cancelled or has started, and nothing is charged", async () => {
    for (const [change, reason] of [[{ status: "cancelled" }, "event_cancelled"], [{ startsAt: new Date(Date.now() - 1_000) }, "sales_ended"]] as const) {
      const w = world();
      const reservation = w.reserve("alice", ["t1"]);
      Object.assign(w.event, change);
      expect(await refusal(w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" }))).toMatchObject({
        kind: "conflict",
        details: { field: "event_id", reason },
      });
      expect(w.payments.size).toBe(0);
      expect(w.provider.calls).toEqual([]);
      expect(w.tickets.get("t1")!.booked).toBe(false);
    }
  });

  it("buying directly before sales open is refused with the opening time, and nothing is charged", async () => {
    const w = world();
    w.event.onSaleAt = new Date(Date.now() + 3_600_000);
    const error = await refusal(w.confirm("alice", byIds(["t1"], "k1")));
    expect(error).toMatchObject({ kind: "conflict", details: { field: "event_id", reason: "not_on_sale_yet" } });
    expect(error.message).toMatch(/^Tickets for Late Laughs go on sale on /);
    expect(w.payments.size).toBe(0);
  });

  it("buying by ticket ids for an event that does not exist is NOT_FOUND naming event_id", async () => {
    const w = world();
    expect(await refusal(w.confirm("alice", { ...byIds(["t1"], "k1"), eventId: "no-such-event" }))).toMatchObject({
      kind: "not_found",
      message: "event no-such-event does not exist",
      details: { field: "event_id" },
    });
    expect(w.payments.size).toBe(0);
  });

  it("a reservation that is gone is NOT_FOUND saying it may have expired or been confirmed or released", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1"]);
    await w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" });
    const error = await refusal(w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k2" }));
    expect(error).toMatchObject({ kind: "not_found", details: { field: "reservation_id" } });
    expect(error.message).toMatch(/does not exist: it expired, or was already confirmed or released; if these seats are not yours yet, reserve them again$/);
  });
});

describe("a valid hold wins at commit", () => {
  /** The hold lapses while the provider authorizes, and (optionally) another buyer holds the seat before it answers. */
  function expireDuringAuthorize(w: ReturnType<typeof world>, ticketId: string, nextHolder?: string) {
    const authorize = w.provider.authorize;
    w.provider.authorize = async (request) => {
      const result = await authorize(request);
      w.held.delete(ticketId);
      if (nextHolder) w.held.set(ticketId, holderToken(nextHolder, "later"));
      return result;
    };
  }

  it("a hold that expired during authorize and was taken by another buyer loses: ABORTED hold_lost, authorization voided, the other hold intact", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1"]);
    expireDuringAuthorize(w, "t1", "bob");
    expect(await refusal(w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" }))).toMatchObject({
      kind: "aborted",
      details: { reason: "hold_lost", ticketIds: ["t1"] },
    });
    const [payment] = w.payments.values();
    expect(payment).toMatchObject({ status: "voided", failureReason: "hold_lost", bookingId: null });
    expect(w.provider.calls).toEqual([`authorize ${payment!.id}`, `void prov-${payment!.id}`]);
    expect(w.tickets.get("t1")!.booked).toBe(false);
    expect(w.held.get("t1")).toBe(holderToken("bob", "later"));
  });

  it("a hold that expired during authorize with nobody else on the seat is claimed again and the sale goes through", async () => {
    const w = world();
    const reservation = w.reserve("alice", ["t1"]);
    expireDuringAuthorize(w, "t1");
    const booking = await w.confirm("alice", { reservationId: reservation.id, card: card(), idempotencyKey: "k1" });
    expect(booking.tickets.map((t) => t.ticketId)).toEqual(["t1"]);
    expect(w.held.size).toBe(0);
  });

  it("a direct purchase claims its free seats before the commit and releases the claim once booked", async () => {
    const w = world();
    const claimed: string[] = [];
    const claim = w.holds.claim.bind(w.holds);
    w.holds.claim = async (request) => {
      claimed.push(...request.ticketIds);
      return claim(request);
    };
    await w.confirm("alice", byIds(["t1", "t2"], "k1"));
    expect(claimed).toEqual(["t1", "t2"]);
    expect(w.held.size).toBe(0);
  });

  it("a direct purchase that loses the seat at commit releases the claim it made", async () => {
    const w = world();
    w.sellDuringAuthorize("t1");
    expect((await refusal(w.confirm("alice", byIds(["t1"], "k1")))).details).toMatchObject({ reason: "seat_taken" });
    expect(w.held.size).toBe(0);
  });

  it("with the lock nodes unreachable at commit the database decides, as for any degraded sale", async () => {
    const w = world();
    const authorize = w.provider.authorize;
    w.provider.authorize = async (request) => {
      const result = await authorize(request);
      w.holds.unreachable = true;
      return result;
    };
    const booking = await w.confirm("alice", byIds(["t1"], "k1"));
    expect(booking.tickets.map((t) => t.ticketId)).toEqual(["t1"]);
  });
});

describe("confirm stops when its caller is gone or its deadline passes", () => {
  it("a caller that cancelled before the confirm began gets CANCELLED, with nothing written and nothing asked of the provider", async () => {
    const w = world();
    const controller = new AbortController();
    controller.abort(new Error("the caller cancelled the call"));
    expect((await refusal(w.confirm("alice", byIds(["t1"], "k1"), controller.signal))).kind).toBe("cancelled");
    expect(w.payments.size).toBe(0);
    expect(w.provider.calls).toEqual([]);
  });

  it("a caller that cancels during authorize gets CANCELLED; nothing is booked and the attempt is left for a retry or recovery", async () => {
    const w = world();
    const controller = new AbortController();
    w.provider.authorize = async () => {
      controller.abort(new Error("the caller cancelled the call"));
      return new Promise<AuthorizeResult>(() => undefined);
    };
    expect(await refusal(w.confirm("alice", byIds(["t1"], "k1"), controller.signal))).toMatchObject({ kind: "cancelled", details: { reason: "cancelled" } });
    expect(w.bookings).toEqual([]);
    expect([...w.payments.values()][0]).toMatchObject({ status: "pending", failureReason: "authorize_unanswered" });
  });

  it("a caller that cancels while the authorization comes back stops before the commit: CANCELLED, the authorization voided, no booking", async () => {
    const w = world();
    const controller = new AbortController();
    // The abort lands after the provider answered, while the seats are claimed, before the commit.
    const claim = w.holds.claim.bind(w.holds);
    w.holds.claim = async (request) => {
      controller.abort(new Error("the caller cancelled the call"));
      return claim(request);
    };
    expect((await refusal(w.confirm("alice", byIds(["t1"], "k1"), controller.signal))).kind).toBe("cancelled");
    const [payment] = w.payments.values();
    expect(payment).toMatchObject({ status: "voided", failureReason: "cancelled", bookingId: null });
    expect(w.bookings).toEqual([]);
    expect(w.tickets.get("t1")!.booked).toBe(false);
    expect(w.held.size).toBe(0);
  });

  it("a provider that never answers within the confirm deadline ends in DEADLINE_EXCEEDED with nothing booked", async () => {
    const w = world({ confirmDeadlineMs: 1 });
    w.provider.authorize = () => new Promise<AuthorizeResult>(() => undefined);
    const error = await refusal(w.confirm("alice", byIds(["t1"], "k1"), undefined));
    expect(error).toMatchObject({ kind: "deadline_exceeded", details: { reason: "deadline_passed" } });
    expect(w.bookings).toEqual([]);
  });

  it("a caller's own gRPC deadline passing reads as a deadline, not a cancellation", async () => {
    const w = world();
    const controller = new AbortController();
    controller.abort(new Error("the call's deadline passed"));
    expect((await refusal(w.confirm("alice", byIds(["t1"], "k1"), controller.signal))).kind).toBe("deadline_exceeded");
  });
});
