import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { HoldStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { holderOf } from "../../services/shared/holds/holder-token.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { card, outcomeOf } from "./booking-fixture.js";
import { gatedBookingSuite } from "./gated-payments.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

/** Alice's hold: short enough to lapse while her payment is held at the provider. */
const SHORT_HOLD_MS = 1_500;

describe.skipIf(!ready)("a valid hold wins over one that expired during a slow payment (PostgreSQL, three Redis masters)", () => {
  const suite = gatedBookingSuite();

  /**
   * Alice reserves with a short hold and confirms; her authorize is held at the provider until
   * her hold has lapsed and Bob has reserved the seat (and been told it is his).
   */
  async function aliceStalledPastHerHold(ticketId: string, key: string) {
    const alice = await suite.fixture.as("alice");
    suite.fixture.settings.holdTtlMs = SHORT_HOLD_MS;
    const { reservation } = await suite.fixture.client.reserveTickets({ eventId: suite.fixture.eventId, ticketIds: [ticketId] }, alice).finally(() => {
      suite.fixture.settings.holdTtlMs = 60_000;
    });
    expect(reservation?.holdStatus).toBe(HoldStatus.HELD);
    const gate = suite.gates.arm();
    const confirming = outcomeOf(suite.fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: key }, alice));
    await gate.entered;
    await eventually(async () => expect((await suite.fixture.holdReader.holders([ticketId])).size).toBe(0), 10_000, 100);
    return { confirming, gate };
  }

  async function bobReserves(ticketId: string) {
    const bob = await suite.fixture.as("bob");
    const { reservation } = await suite.fixture.client.reserveTickets({ eventId: suite.fixture.eventId, ticketIds: [ticketId] }, bob);
    expect(reservation?.holdStatus).toBe(HoldStatus.HELD);
    return { bob, reservation: reservation! };
  }

  /** Alice lost with ABORTED and was not charged: her ledger row and the provider both say voided. */
  async function expectAliceLostUncharged(outcome: "ok" | ConnectError, key: string, reason: string) {
    expect(outcome).toBeInstanceOf(ConnectError);
    expect((outcome as ConnectError).code).toBe(Code.Aborted);
    expect(errorDetailsOf(outcome as ConnectError)).toMatchObject({ reason });
    const row = await suite.fixture.ledgerRow("alice", key);
    expect(row).toMatchObject({ status: "voided", booking_id: null });
    expect((await suite.fixture.provider.payments()).find((payment) => payment.providerPaymentId === row!.provider_payment_id)?.status).toBe("voided");
  }

  async function expectBobsSeat(ticketId: string, bookingId: string) {
    expect(await suite.fixture.database.db("tickets").where({ id: ticketId }).first("status", "booking_id")).toEqual({ status: "booked", booking_id: bookingId });
    expect(await suite.fixture.database.db("booking_items").where({ ticket_id: ticketId, active: true }).select("booking_id")).toEqual([{ booking_id: bookingId }]);
  }

  it("Alice's payment comes back first: her confirm loses with ABORTED and a voided authorization, Bob's reservation still holds and he buys the seat", async () => {
    const ticketId = suite.seat();
    const { confirming, gate } = await aliceStalledPastHerHold(ticketId, "alice-first");
    const { bob, reservation } = await bobReserves(ticketId);

    gate.open();
    await expectAliceLostUncharged(await confirming, "alice-first", "hold_lost");
    // Bob's hold was not touched by Alice's attempt.
    expect([...(await suite.fixture.holdReader.holders([ticketId])).values()].map(holderOf)).toEqual(["bob"]);

    const { booking } = await suite.fixture.client.confirmBooking({ reservationId: reservation.id, paymentDetails: card(), idempotencyKey: "bob-second" }, bob);
    await expectBobsSeat(ticketId, booking!.id);
  });

  it("Bob confirms first: he buys the seat, and Alice's late payment loses with ABORTED and a voided authorization", async () => {
    const ticketId = suite.seat();
    const { confirming, gate } = await aliceStalledPastHerHold(ticketId, "alice-late");
    const { bob, reservation } = await bobReserves(ticketId);
    const { booking } = await suite.fixture.client.confirmBooking({ reservationId: reservation.id, paymentDetails: card(), idempotencyKey: "bob-first" }, bob);

    gate.open();
    await expectAliceLostUncharged(await confirming, "alice-late", "seat_taken");
    await expectBobsSeat(ticketId, booking!.id);
  });

  it("nobody took the seat while Alice's payment was slow: her expired hold is claimed again and she buys it", async () => {
    const ticketId = suite.seat();
    const { confirming, gate } = await aliceStalledPastHerHold(ticketId, "alice-alone");
    gate.open();
    expect(await confirming).toBe("ok");
    expect((await suite.fixture.ledgerRow("alice", "alice-alone"))?.status).toBe("captured");
    expect((await suite.fixture.database.db("tickets").where({ id: ticketId }).first("status")).status).toBe("booked");
    expect((await suite.fixture.holdReader.holders([ticketId])).size).toBe(0);
  });
});
