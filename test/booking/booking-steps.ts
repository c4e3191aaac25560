import type { Knex } from "knex";
import { createPostgresPaymentLedger } from "../../services/booking/adapters/postgres/postgres-payment-ledger.js";
import type { ReservationStore } from "../../services/booking/domain/booking-ports.js";
import { createPaymentRecovery } from "../../services/booking/domain/payment-recovery.js";
import type { PaymentProvider } from "../../services/booking/domain/payment-provider.js";

/** A door a test opens by hand: `reached` resolves when someone waits at it. */
export function gate() {
  let open!: () => void;
  let arrived!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  return {
    reached,
    open,
    async pass() {
      arrived();
      await opened;
    },
  };
}

type Step = "afterAuthorize" | "afterCommit";

/**
 * Fault hooks that run one action at one step of the next confirm that reaches it: a thrown
 * error "kills the process" there, anything else (another buyer's request) happens in between.
 */
export class StepHooks {
  private readonly actions = new Map<Step, () => Promise<void>>();

  readonly hooks = {
    afterAuthorize: async () => this.run("afterAuthorize"),
    afterCommit: async () => this.run("afterCommit"),
  };

  once(step: Step, action: () => Promise<void>): void {
    this.actions.set(step, action);
  }

  crashAt(step: Step): void {
    this.once(step, async () => {
      throw new SimulatedCrash(`crashed ${step}`);
    });
  }

  clear(): void {
    this.actions.clear();
  }

  private async run(step: Step) {
    const action = this.actions.get(step);
    this.actions.delete(step);
    await action?.();
  }
}

export class SimulatedCrash extends Error {}

/** Holds the authorize calls of one cardholder at a gate, to model a slow card network for one buyer. */
export function authorizeBehindGate(provider: PaymentProvider, cardholder: string, door: ReturnType<typeof gate>): PaymentProvider {
  return Object.assign(Object.create(provider) as PaymentProvider, {
    async authorize(request: Parameters<PaymentProvider["authorize"]>[0]) {
      if (request.card.holderName === cardholder) await door.pass();
      return provider.authorize(request);
    },
  });
}

/** Holds the next reservation lookup at a gate, to order one request's read after another's whole confirm. */
export class GatedReservations implements ReservationStore {
  private next: ReturnType<typeof gate> | undefined;

  constructor(private readonly inner: ReservationStore) {}

  holdNextFind(): ReturnType<typeof gate> {
    this.next = gate();
    return this.next;
  }

  record(draft: Parameters<ReservationStore["record"]>[0]) {
    return this.inner.record(draft);
  }

  recordKey(reservationId: string) {
    return this.inner.recordKey(reservationId);
  }

  reservationIdOf(recordKey: string) {
    return this.inner.reservationIdOf(recordKey);
  }

  async find(reservationId: string) {
    const door = this.next;
    this.next = undefined;
    await door?.pass();
    return this.inner.find(reservationId);
  }
}

/**
 * A recovery worker as it would run once every lease and grace has passed: leases are cleared
 * and its clock runs a minute ahead (a payment touched in this very millisecond is still
 * "younger" than a clock with millisecond precision).
 */
export function recoveryAfterLeases(db: Knex, payments: PaymentProvider, maxCaptureAttempts = 20) {
  const recovery = createPaymentRecovery({
    ledger: createPostgresPaymentLedger(db, payments.name),
    payments,
    graceMs: 0,
    maxCaptureAttempts,
    clock: () => new Date(Date.now() + 60_000),
  });
  return {
    ...recovery,
    async runOnce() {
      await db("payments").update({ next_attempt_at: null });
      return recovery.runOnce();
    },
  };
}
