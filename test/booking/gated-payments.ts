import type { PaymentProvider } from "../../services/booking/domain/payment-provider.js";
import { afterAll, beforeAll } from "vitest";
import { startBookingFixture, type BookingFixture } from "./booking-fixture.js";

/** An authorize held at the provider until the test opens it: what a slow card network looks like. */
export interface AuthorizeGate {
  /** Resolves once the authorize call has reached the provider. */
  entered: Promise<void>;
  /** Lets the held authorize go on to the provider. */
  open(): void;
}

/**
 * The provider with an authorize gate a test arms before a confirm: the next authorize call
 * waits at the gate; every other call passes straight through.
 */
export function gatedPayments(provider: PaymentProvider) {
  let armed: { entered: () => void; opened: Promise<void> } | undefined;
  const gated: PaymentProvider = {
    name: provider.name,
    async authorize(request) {
      const gate = armed;
      armed = undefined;
      if (gate) {
        gate.entered();
        await gate.opened;
      }
      return provider.authorize(request);
    },
    capture: (id, key) => provider.capture(id, key),
    void: (id, key) => provider.void(id, key),
    refund: (id, key) => provider.refund(id, key),
    lookup: (key) => provider.lookup(key),
  };
  return {
    provider: gated,
    arm(): AuthorizeGate {
      let entered!: () => void;
      let open!: () => void;
      const gate = { entered: new Promise<void>((resolve) => (entered = resolve)), opened: new Promise<void>((resolve) => (open = resolve)) };
      armed = { entered, opened: gate.opened };
      return { entered: gate.entered, open };
    },
  };
}

/**
 * A suite's booking fixture with its provider behind an authorize gate, started before its
 * tests and closed after them (after `cleanup`, for what the suite started on top of it).
 */
export function gatedBookingSuite(cleanup?: () => Promise<void>) {
  const suite = {
    fixture: undefined as unknown as BookingFixture,
    gates: undefined as unknown as ReturnType<typeof gatedPayments>,
    next: 0,
    /** A ticket no other test of the suite uses. */
    seat: () => suite.fixture.ticketIds[suite.next++]!,
  };
  beforeAll(async () => {
    suite.fixture = await startBookingFixture({ payments: (provider) => (suite.gates = gatedPayments(provider)).provider });
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
    await suite.fixture?.close();
  });
  return suite;
}
