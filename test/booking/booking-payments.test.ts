import { Code, type ConnectError } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { holderOf } from "../../services/shared/holds/holder-token.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { card, codeOf, outcomeOf, startBookingFixture, type BookingFixture } from "./booking-fixture.js";
import { authorizeBehindGate, gate, GatedReservations, StepHooks } from "./booking-steps.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

describe.skipIf(!ready)("payments around the booking transaction", () => {
  let fixture: BookingFixture;
  const steps = new StepHooks();
  let reservations: GatedReservations;
  let next = 0;
  const seats = (count: number) => fixture.ticketIds.slice(next, (next += count));
  const providerStatus = async (providerPaymentId: string) => (await fixture.provider.payments()).find((p) => p.providerPaymentId === providerPaymentId)?.status;

  beforeAll(async () => {
    // Holds outlive every test here (60 s): nothing below depends on one expiring.
    fixture = await startBookingFixture({ faults: steps.hooks, reservations: (store) => (reservations = new GatedReservations(store)) });
  }, 120_000);

  afterEach(() => {
    steps.clear();
    fixture.provider.latencyMs.clear();
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it("a crash between authorize and commit is repaired by the recovery worker: the authorization is voided", async () => {
    const [seat] = seats(1);
    const alice = await fixture.as("alice");
    steps.crashAt("afterAuthorize");
    const crashed = await codeOf(fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "crash-key-a" }, alice));
    expect(crashed).toBe(Code.Internal);
    // The authorization is recorded by the booking transaction itself; before it the ledger says
    // pending, and recovery asks the provider what it holds under the payment's id.
    expect((await fixture.ledgerRow("alice", "crash-key-a"))?.status).toBe("pending");
    expect(await fixture.booking.recovery.runOnce()).toBeGreaterThan(0);
    const row = await fixture.ledgerRow("alice", "crash-key-a");
    expect(row?.status).toBe("voided");
    expect(await providerStatus(row!.provider_payment_id)).toBe("voided");
    expect(await fixture.database.db("tickets").where({ id: seat }).first()).toMatchObject({ status: "available" });
  });

  it("a crash between commit and capture is repaired by the recovery worker: the payment is captured", async () => {
    const [seat] = seats(1);
    const alice = await fixture.as("alice");
    steps.crashAt("afterCommit");
    const request = { eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "crash-key-b" };
    expect(await codeOf(fixture.client.confirmBooking(request, alice))).toBe(Code.Internal);
    const before = await fixture.ledgerRow("alice", "crash-key-b");
    expect(before?.status).toBe("authorized");
    expect(before?.booking_id).not.toBeNull();
    await fixture.booking.recovery.runOnce();
    const row = await fixture.ledgerRow("alice", "crash-key-b");
    expect(row?.status).toBe("captured");
    expect(await providerStatus(row!.provider_payment_id)).toBe("captured");
    // The buyer's retry with the same key now finds the booking instead of charging again.
    const retried = await fixture.client.confirmBooking(request, alice);
    expect(retried.booking?.id).toBe(row!.booking_id);
  });

  it("a failed capture is retried by the recovery worker, and the buyer keeps the booking", async () => {
    const [seat] = seats(1);
    fixture.provider.failNext("capture", 1);
    const { booking } = await fixture.client.confirmBooking(
      { eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "capture-fails" },
      await fixture.as("dave"),
    );
    expect((await fixture.ledgerRow("dave", "capture-fails"))?.status).toBe("authorized");
    await fixture.booking.recovery.runOnce();
    const row = await fixture.ledgerRow("dave", "capture-fails");
    expect(row?.status).toBe("captured");
    expect(await providerStatus(row!.provider_payment_id)).toBe("captured");
    expect(booking?.tickets[0]?.ticketId).toBe(seat);
  });

  it("a lost transaction whose void fails leaves no charge: recovery voids the authorization later", async () => {
    const [seat] = seats(1);
    const alice = await fixture.as("alice");
    // Between Alice's authorize and her transaction, Bob buys the seat; then her void fails.
    steps.once("afterAuthorize", async () => {
      await fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "bob-first" }, await fixture.as("bob"));
      fixture.provider.failNext("void", 1);
    });
    const lost = await outcomeOf(fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "void-fails" }, alice));
    expect((lost as ConnectError).code).toBe(Code.Aborted);
    expect((lost as ConnectError).rawMessage).toMatch(/already taken.*not been charged/);
    const open = await fixture.ledgerRow("alice", "void-fails");
    expect(open).toMatchObject({ status: "authorized", booking_id: null });
    expect(await providerStatus(open!.provider_payment_id)).toBe("authorized");

    await fixture.booking.recovery.runOnce();
    const row = await fixture.ledgerRow("alice", "void-fails");
    expect(row).toMatchObject({ status: "voided", booking_id: null });
    expect(await providerStatus(row!.provider_payment_id)).toBe("voided");
    expect((await fixture.ledgerRow("bob", "bob-first"))?.status).toBe("captured");
  });

  it("money the provider captured without a booking is refunded by recovery", async () => {
    const [seat] = seats(1);
    steps.crashAt("afterAuthorize");
    const request = { eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "captured-by-hand" };
    expect(await codeOf(fixture.client.confirmBooking(request, await fixture.as("hana")))).toBe(Code.Internal);
    const open = await fixture.ledgerRow("hana", "captured-by-hand");
    // Captured at the provider outside this service (a dashboard, a provider fault): no booking backs it.
    const atProvider = await fixture.provider.lookup(open!.id);
    await fixture.provider.capture(atProvider!.providerPaymentId, "outside-capture");
    await fixture.booking.recovery.runOnce();
    const row = await fixture.ledgerRow("hana", "captured-by-hand");
    expect(row).toMatchObject({ status: "refunded", booking_id: null, failure_reason: "captured_without_booking" });
    expect(await providerStatus(row!.provider_payment_id)).toBe("refunded");
  });

  it("declined and insufficient-funds cards answer FAILED_PRECONDITION and the seat stays held by the buyer", async () => {
    const [seat] = seats(1);
    const erin = await fixture.as("erin");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, erin);
    const confirmWith = (cardNumber: string, idempotencyKey: string) =>
      outcomeOf(fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(cardNumber), idempotencyKey }, erin));

    const declined = (await confirmWith("4000000000000002", "decline-key-1")) as ConnectError;
    expect(declined.code).toBe(Code.FailedPrecondition);
    expect(declined.rawMessage).toMatch(/declined.*stay held/);
    expect(errorDetailsOf(declined)).toMatchObject({ kind: "payment_declined", reason: "card_declined" });
    const poor = (await confirmWith("4000000000009995", "decline-key-2")) as ConnectError;
    expect(poor.code).toBe(Code.FailedPrecondition);
    expect(errorDetailsOf(poor)).toMatchObject({ kind: "payment_declined", reason: "insufficient_funds" });
    expect((await fixture.ledgerRow("erin", "decline-key-2"))?.status).toBe("declined");

    const holder = (await fixture.holdReader.holders([seat!])).get(seat!);
    expect(holder && holderOf(holder)).toBe("erin");
    const frank = await outcomeOf(fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, await fixture.as("frank")));
    expect((frank as ConnectError).code).toBe(Code.FailedPrecondition);
    expect(errorDetailsOf(frank as ConnectError)).toMatchObject({ reason: "held", ticketIds: [seat] });

    const { booking } = await fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: "decline-key-3" }, erin);
    expect(booking?.tickets[0]?.ticketId).toBe(seat);
  });

  it("the same idempotency key, sequential or concurrent, charges once and returns the same booking", async () => {
    const [first, second] = seats(2);
    const alice = await fixture.as("gina");
    const request = { eventId: fixture.eventId, ticketIds: [first!], paymentDetails: card(), idempotencyKey: "same-key-1" };
    const a = await fixture.client.confirmBooking(request, alice);
    const b = await fixture.client.confirmBooking(request, alice);
    expect(b.booking?.id).toBe(a.booking?.id);

    const concurrent = { eventId: fixture.eventId, ticketIds: [second!], paymentDetails: card(), idempotencyKey: "same-key-2" };
    const results = await Promise.all(Array.from({ length: 10 }, () => fixture.client.confirmBooking(concurrent, alice)));
    expect(new Set(results.map((result) => result.booking?.id)).size).toBe(1);
    const rows = await fixture.database.db("payments").where({ user_id: "gina" }).where("idempotency_key", "like", "same-key-%").orderBy("idempotency_key");
    expect(rows.map((row) => row.status)).toEqual(["captured", "captured"]);
    const providerIds = new Set(rows.map((row) => row.provider_payment_id));
    expect((await fixture.provider.payments()).filter((p) => providerIds.has(p.providerPaymentId))).toHaveLength(2);

    const reused = await outcomeOf(fixture.client.confirmBooking({ ...concurrent, ticketIds: [first!] }, alice));
    expect((reused as ConnectError).code).toBe(Code.InvalidArgument);
    expect(errorDetailsOf(reused as ConnectError)).toMatchObject({ field: "idempotencyKey" });
  });

  it("a key replayed with another reservation is refused naming idempotency_key, not answered with the old booking", async () => {
    const [first, second] = seats(2);
    const ivan = await fixture.as("ivan");
    const reserve = (seat: string) => fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat] }, ivan);
    const firstReservation = (await reserve(first!)).reservation!;
    const secondReservation = (await reserve(second!)).reservation!;
    await fixture.client.confirmBooking({ reservationId: firstReservation.id, paymentDetails: card(), idempotencyKey: "ivan-checkout" }, ivan);

    const replayed = await outcomeOf(fixture.client.confirmBooking({ reservationId: secondReservation.id, paymentDetails: card(), idempotencyKey: "ivan-checkout" }, ivan));
    expect((replayed as ConnectError).code).toBe(Code.InvalidArgument);
    expect(errorDetailsOf(replayed as ConnectError)).toMatchObject({ field: "idempotencyKey" });
    // The second reservation is untouched and still confirmable with its own key.
    const { booking } = await fixture.client.confirmBooking({ reservationId: secondReservation.id, paymentDetails: card(), idempotencyKey: "ivan-checkout-2" }, ivan);
    expect(booking?.tickets.map((ticket) => ticket.ticketId)).toEqual([second]);
  });

  it("retries started at every step of the first attempt (before it begins, mid-payment, just as it commits) all get its booking", async () => {
    const [seat] = seats(1);
    const kim = await fixture.as("kim");
    const request = { eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "kim-staggered" };
    fixture.provider.latencyMs.set("authorize", 150);
    fixture.provider.latencyMs.set("capture", 150);
    const retries: Array<Promise<unknown>> = [];
    const retry = () => retries.push(fixture.client.confirmBooking(request, kim).then((r) => r.booking?.id));
    steps.once("afterAuthorize", async () => void retry());
    steps.once("afterCommit", async () => void retry());
    const first = fixture.client.confirmBooking(request, kim);
    // And a retry every 20 ms while the first one runs.
    for (let at = 0; at <= 400; at += 20) {
      retry();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const booking = (await first).booking!;
    const answers = await Promise.all(retries);
    expect(answers.length).toBeGreaterThanOrEqual(21);
    expect(new Set(answers)).toEqual(new Set([booking.id]));
    const row = await fixture.ledgerRow("kim", "kim-staggered");
    expect(row?.status).toBe("captured");
    expect((await fixture.provider.payments()).filter((p) => p.idempotencyKey === row!.id)).toHaveLength(1);
  });

  it("a retry that read the ledger just before the first attempt began, and checks after it finished, gets its booking", async () => {
    const [seat] = seats(1);
    const nina = await fixture.as("nina");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, nina);
    const request = { reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: "nina-late-retry" };
    // The retry has found no ledger row and waits at its reservation lookup...
    const lookup = reservations.holdNextFind();
    const late = fixture.client.confirmBooking(request, nina);
    await lookup.reached;
    // ...while the first attempt runs to the end, deleting the reservation and selling the seat.
    const first = await fixture.client.confirmBooking(request, nina);
    expect(await fixture.ledgerRow("nina", "nina-late-retry")).toMatchObject({ status: "captured" });
    lookup.open();
    expect((await late).booking?.id).toBe(first.booking?.id);
    const row = await fixture.ledgerRow("nina", "nina-late-retry");
    expect((await fixture.provider.payments()).filter((p) => p.idempotencyKey === row!.id).map((p) => p.status)).toEqual(["captured"]);
  });

  it("a provider outage during authorize is a known outcome: the same key retried at once books, charging once", async () => {
    const [seat] = seats(1);
    const lena = await fixture.as("lena");
    const request = { eventId: fixture.eventId, ticketIds: [seat!], paymentDetails: card(), idempotencyKey: "lena-outage" };
    fixture.provider.failNext("authorize", 1);
    const down = (await outcomeOf(fixture.client.confirmBooking(request, lena))) as ConnectError;
    expect(down.code).toBe(Code.Unavailable);
    expect(down.rawMessage).toMatch(/same idempotency key/);
    expect(await fixture.ledgerRow("lena", "lena-outage")).toMatchObject({ status: "pending", failure_reason: "authorize_unanswered" });

    // Not "still in progress" after a wait: the retry takes the attempt over.
    const { booking } = await fixture.client.confirmBooking(request, lena);
    expect(booking?.tickets[0]?.ticketId).toBe(seat);
    const row = await fixture.ledgerRow("lena", "lena-outage");
    expect(row).toMatchObject({ status: "captured", booking_id: booking!.id });
    expect((await fixture.provider.payments()).filter((p) => p.idempotencyKey === row!.id).map((p) => p.status)).toEqual(["captured"]);
  });

  it("an authorize whose answer was lost: a retry reuses the provider's authorization, and without a retry recovery voids it", async () => {
    const [retried, abandoned] = seats(2);
    const mia = await fixture.as("mia");
    const requestFor = (seat: string, idempotencyKey: string) => ({ eventId: fixture.eventId, ticketIds: [seat], paymentDetails: card(), idempotencyKey });

    fixture.provider.failNext("authorize", 1, "answer_lost");
    expect(await codeOf(fixture.client.confirmBooking(requestFor(retried!, "mia-lost-1"), mia))).toBe(Code.Unavailable);
    const { booking } = await fixture.client.confirmBooking(requestFor(retried!, "mia-lost-1"), mia);
    const row = await fixture.ledgerRow("mia", "mia-lost-1");
    expect(row).toMatchObject({ status: "captured", booking_id: booking!.id });
    expect((await fixture.provider.payments()).filter((p) => p.idempotencyKey === row!.id).map((p) => p.status)).toEqual(["captured"]);

    fixture.provider.failNext("authorize", 1, "answer_lost");
    expect(await codeOf(fixture.client.confirmBooking(requestFor(abandoned!, "mia-lost-2"), mia))).toBe(Code.Unavailable);
    const pending = await fixture.ledgerRow("mia", "mia-lost-2");
    expect((await fixture.provider.payments()).find((p) => p.idempotencyKey === pending!.id)?.status).toBe("authorized");
    await fixture.booking.recovery.runOnce();
    const repaired = await fixture.ledgerRow("mia", "mia-lost-2");
    expect(repaired).toMatchObject({ status: "voided", booking_id: null });
    expect((await fixture.provider.payments()).find((p) => p.idempotencyKey === pending!.id)?.status).toBe("voided");
    expect(await fixture.database.db("tickets").where({ id: abandoned }).first()).toMatchObject({ status: "available" });
  });
});

describe.skipIf(!ready)("a hold that expires during a slow payment", () => {
  let fixture: BookingFixture;
  const slowNetwork = gate();
  const SLOW_CARDHOLDER = "Slow Network";

  beforeAll(async () => {
    fixture = await startBookingFixture({ holdTtlMs: 1_000, payments: (provider) => authorizeBehindGate(provider, SLOW_CARDHOLDER, slowNetwork) });
  }, 120_000);

  afterAll(async () => {
    slowNetwork.open();
    await fixture?.close();
  });

  it("loses to the buyer who confirmed first after it expired, and is not charged", async () => {
    const [seat] = fixture.ticketIds;
    const alice = await fixture.as("alice");
    const bob = await fixture.as("bob");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, alice);
    const aliceConfirm = outcomeOf(
      fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: { ...card(), cardholderName: SLOW_CARDHOLDER }, idempotencyKey: "slow-key-1" }, alice),
    );
    // Alice's card network is still working when her hold (1 s) runs out and Bob takes the seat.
    await slowNetwork.reached;
    const bobReservation = await eventually(async () => (await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat!] }, bob)).reservation!, 10_000, 100);
    const bobBooking = await fixture.client.confirmBooking({ reservationId: bobReservation.id, paymentDetails: card(), idempotencyKey: "fast-key-1" }, bob);
    expect(bobBooking.booking?.tickets[0]?.ticketId).toBe(seat);
    slowNetwork.open();

    const aliceOutcome = (await aliceConfirm) as ConnectError;
    expect(aliceOutcome.code).toBe(Code.Aborted);
    expect(aliceOutcome.rawMessage).toMatch(/not been charged/);
    const aliceRow = await fixture.ledgerRow("alice", "slow-key-1");
    expect(aliceRow).toMatchObject({ status: "voided", booking_id: null });
    expect((await fixture.provider.payments()).find((p) => p.providerPaymentId === aliceRow!.provider_payment_id)?.status).toBe("voided");
  });
});
