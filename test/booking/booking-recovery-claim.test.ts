import { Code, type ConnectError } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SimulatedPaymentProvider } from "../../services/booking/adapters/payments/simulated-payment-provider.js";
import { createPostgresPaymentLedger } from "../../services/booking/adapters/postgres/postgres-payment-ledger.js";
import type { PaymentLedger } from "../../services/booking/domain/booking-ports.js";
import type { PaymentProvider } from "../../services/booking/domain/payment-provider.js";
import { createPaymentRecovery } from "../../services/booking/domain/payment-recovery.js";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { card, outcomeOf, startBookingFixture, type BookingFixture } from "./booking-fixture.js";
import { gate, recoveryAfterLeases, StepHooks } from "./booking-steps.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

/**
 * The recovery worker of another replica racing a confirm slower than the recovery grace (0 here):
 * whichever of "recovery claims the payment" and "the booking commits" comes first decides, and
 * the end state is never a ticket without a capture nor a capture without a ticket.
 */
describe.skipIf(!ready)("recovery and a slow confirm racing for one payment", () => {
  let fixture: BookingFixture;
  const steps = new StepHooks();
  let next = 0;
  const seat = () => fixture.ticketIds[next++]!;

  /** Replica B's recovery worker: its own provider object, the same database, optional gates. */
  function otherReplicaRecovery(wrap: { ledger?: (ledger: PaymentLedger) => PaymentLedger; payments?: (provider: PaymentProvider) => PaymentProvider } = {}) {
    const ledger = createPostgresPaymentLedger(fixture.database.db, "simulated");
    const payments = new SimulatedPaymentProvider(fixture.database.db);
    return createPaymentRecovery({ ledger: wrap.ledger?.(ledger) ?? ledger, payments: wrap.payments?.(payments) ?? payments, graceMs: 0, maxCaptureAttempts: 3 });
  }

  /** The payment of one confirm, as the ledger, the provider and the seat have it. */
  async function endState(userId: string, idempotencyKey: string, ticketId: string) {
    const row = await fixture.ledgerRow(userId, idempotencyKey);
    const atProvider = (await fixture.provider.payments()).find((p) => p.idempotencyKey === row!.id);
    const ticket = await fixture.database.db("tickets").where({ id: ticketId }).first();
    return { ledger: row!.status as string, bookingId: row!.booking_id as string | null, provider: atProvider?.status, ticket: ticket.status as string };
  }

  const SLOW_CARDHOLDER = "Slow Network";
  let slowNetwork = gate();

  beforeAll(async () => {
    fixture = await startBookingFixture({
      faults: steps.hooks,
      // One cardholder's authorize waits at a door before it reaches the provider.
      payments: (provider) =>
        Object.assign(Object.create(provider) as PaymentProvider, {
          async authorize(request: Parameters<PaymentProvider["authorize"]>[0]) {
            if (request.card.holderName === SLOW_CARDHOLDER) await slowNetwork.pass();
            return provider.authorize(request);
          },
        }),
    });
  }, 120_000);

  afterEach(() => steps.clear());

  afterAll(async () => {
    await fixture?.close();
  });

  it("recovery claims and voids first: the booking transaction can no longer use the payment, the buyer is not charged", async () => {
    const ticketId = seat();
    steps.once("afterAuthorize", async () => {
      expect(await otherReplicaRecovery().runOnce()).toBeGreaterThan(0);
    });
    const outcome = (await outcomeOf(
      fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey: "claimed-first" }, await fixture.as("ada")),
    )) as ConnectError;
    expect(outcome.code).toBe(Code.Aborted);
    expect(errorDetailsOf(outcome)).toMatchObject({ reason: "payment_not_authorized" });
    expect(await endState("ada", "claimed-first", ticketId)).toEqual({ ledger: "voided", bookingId: null, provider: "voided", ticket: "available" });
  });

  it("recovery is at the provider when the booking tries to commit: the booking loses, the money is given back", async () => {
    const ticketId = seat();
    const atProvider = gate();
    const recovery = otherReplicaRecovery({
      payments: (provider) =>
        Object.assign(Object.create(provider) as PaymentProvider, {
          async lookup(key: string) {
            await atProvider.pass();
            return provider.lookup(key);
          },
        }),
    });
    let pass: Promise<number> | undefined;
    steps.once("afterAuthorize", async () => {
      pass = recovery.runOnce();
      await atProvider.reached;
    });
    const outcome = (await outcomeOf(
      fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey: "claimed-then-commit" }, await fixture.as("ben")),
    )) as ConnectError;
    expect(outcome.code).toBe(Code.Aborted);
    atProvider.open();
    await pass;
    expect(await endState("ben", "claimed-then-commit", ticketId)).toEqual({ ledger: "voided", bookingId: null, provider: "voided", ticket: "available" });
  });

  it("the booking commits after recovery read the payment but before its claim: the claim fails, the payment is captured", async () => {
    const ticketId = seat();
    const beforeClaim = gate();
    const recovery = otherReplicaRecovery({
      ledger: (ledger) => ({
        ...ledger,
        async claimUnbooked(paymentId, from) {
          await beforeClaim.pass();
          return ledger.claimUnbooked(paymentId, from);
        },
      }),
    });
    let pass: Promise<number> | undefined;
    steps.once("afterAuthorize", async () => {
      pass = recovery.runOnce();
      await beforeClaim.reached;
    });
    steps.once("afterCommit", async () => {
      beforeClaim.open();
      await pass;
    });
    const { booking } = await fixture.client.confirmBooking(
      { eventId: fixture.eventId, ticketIds: [ticketId], paymentDetails: card(), idempotencyKey: "commit-then-claim" },
      await fixture.as("cai"),
    );
    expect(await endState("cai", "commit-then-claim", ticketId)).toEqual({ ledger: "captured", bookingId: booking!.id, provider: "captured", ticket: "booked" });
  });

  it("recovery settles a payment whose authorize is still on its way; the confirm's failed void hands the authorization back to it", async () => {
    const ticketId = seat();
    slowNetwork = gate();
    const confirm = outcomeOf(
      fixture.client.confirmBooking(
        { eventId: fixture.eventId, ticketIds: [ticketId], paymentDetails: { ...card(), cardholderName: SLOW_CARDHOLDER }, idempotencyKey: "authorize-in-flight" },
        await fixture.as("dia"),
      ),
    );
    await slowNetwork.reached;
    // The provider has nothing under the payment's key yet: recovery records it as never authorized.
    await recoveryAfterLeases(fixture.database.db, new SimulatedPaymentProvider(fixture.database.db)).runOnce();
    expect(await fixture.ledgerRow("dia", "authorize-in-flight")).toMatchObject({ status: "failed", provider_payment_id: null });
    // Then the authorize lands, the booking finds its payment claimed, and the confirm's own void fails.
    fixture.provider.failNext("void", 1);
    slowNetwork.open();
    expect(((await confirm) as ConnectError).code).toBe(Code.Aborted);
    expect(await endState("dia", "authorize-in-flight", ticketId)).toEqual({ ledger: "voiding", bookingId: null, provider: "authorized", ticket: "available" });
    await recoveryAfterLeases(fixture.database.db, new SimulatedPaymentProvider(fixture.database.db)).runOnce();
    expect(await endState("dia", "authorize-in-flight", ticketId)).toEqual({ ledger: "voided", bookingId: null, provider: "voided", ticket: "available" });
  });
});
