import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatedPaymentProvider } from "../../services/booking/adapters/payments/simulated-payment-provider.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { card, codeOf, startBookingFixture, startBookingInstance, type BookingFixture, type BookingInstance } from "./booking-fixture.js";
import { StepHooks } from "./booking-steps.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

describe.skipIf(!ready)("payments a crashed booking service left behind", () => {
  let fixture: BookingFixture;
  let restarted: BookingInstance | undefined;
  let stopRecovery: (() => void) | undefined;
  const steps = new StepHooks();

  beforeAll(async () => {
    fixture = await startBookingFixture({ faults: steps.hooks });
  }, 120_000);

  afterAll(async () => {
    stopRecovery?.();
    await restarted?.close();
    await fixture?.close();
  });

  it("are finished by a new instance on the same database as it starts: captured with a booking, voided without", async () => {
    const [unbooked, booked] = fixture.ticketIds;
    const olga = await fixture.as("olga");
    const confirm = (seat: string, idempotencyKey: string) =>
      codeOf(fixture.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [seat], paymentDetails: card(), idempotencyKey }, olga));
    steps.crashAt("afterAuthorize");
    expect(await confirm(unbooked!, "before-commit")).toBe(Code.Internal);
    steps.crashAt("afterCommit");
    expect(await confirm(booked!, "after-commit")).toBe(Code.Internal);
    // Before the commit the authorization is not yet in the ledger (the booking transaction records it).
    expect((await fixture.ledgerRow("olga", "before-commit"))?.status).toBe("pending");
    expect((await fixture.ledgerRow("olga", "after-commit"))?.status).toBe("authorized");
    // That process is gone without a recovery pass; a new one starts on the same database, with
    // a provider of its own that only knows the authorizations through the shared books.
    await fixture.stopService();
    restarted = await startBookingInstance(fixture.database, fixture.lockNodes, new SimulatedPaymentProvider(fixture.database.db), { recoveryGraceMs: 0 });
    stopRecovery = restarted.booking.startRecovery();

    await eventually(async () => {
      expect((await fixture.ledgerRow("olga", "before-commit"))?.status).toBe("voided");
      expect((await fixture.ledgerRow("olga", "after-commit"))?.status).toBe("captured");
    }, 10_000, 100);
    const voided = await fixture.ledgerRow("olga", "before-commit");
    const captured = await fixture.ledgerRow("olga", "after-commit");
    const atProvider = async (row: Record<string, any> | undefined) => (await fixture.provider.payments()).find((p) => p.providerPaymentId === row!.provider_payment_id)?.status;
    expect(await atProvider(voided)).toBe("voided");
    expect(await atProvider(captured)).toBe("captured");
    expect(await fixture.database.db("tickets").whereIn("id", [unbooked!, booked!]).orderBy("status").select("id", "status")).toEqual([
      { id: unbooked, status: "available" },
      { id: booked, status: "booked" },
    ]);
    // The buyer asks the new instance again with the same key and gets the booking the crash interrupted.
    const again = await restarted.client.confirmBooking({ eventId: fixture.eventId, ticketIds: [booked!], paymentDetails: card(), idempotencyKey: "after-commit" }, olga);
    expect(again.booking?.id).toBe(captured!.booking_id);
  });
});
