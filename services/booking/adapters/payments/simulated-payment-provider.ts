import { randomUUID } from "node:crypto";
import type { AuthorizeResult, PaymentProvider } from "../../domain/payment-provider.js";

/** The well-known test cards (DESIGN.md); any other number is rejected as invalid. */
const TEST_CARDS: Record<string, AuthorizeResult> = {
  "4242424242424242": { kind: "authorized", providerPaymentId: "" },
  "4000000000000002": { kind: "declined", reason: "card_declined" },
  "4000000000009995": { kind: "declined", reason: "insufficient_funds" },
};

type Operation = "authorize" | "capture" | "void" | "refund";
type FailureMode = "unreachable" | "answer_lost";

export interface SimulatedPayment {
  providerPaymentId: string;
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  status: "authorized" | "captured" | "voided" | "refunded";
}

export interface SimulatedProviderOptions {
  /** Added to every call, to model a slow provider. */
  latencyMs?: number;
}

export type { Operation as SimulatedOperation };

export class ProviderUnavailableError extends Error {
  override name = "ProviderUnavailableError";
}

/**
 * A payment provider that behaves like a real one where it matters for correctness: idempotent
 * by key, a state machine per payment (authorized → captured → refunded, or → voided), test
 * cards, latency, and injectable failures. Keeps its books in memory so tests can audit every
 * charge.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = "simulated";
  private readonly byId = new Map<string, SimulatedPayment>();
  private readonly byKey = new Map<string, SimulatedPayment>();
  private readonly declinedKeys = new Map<string, AuthorizeResult>();
  private readonly failures = new Map<Operation, { times: number; when: FailureMode }>();
  private readonly seenKeys = new Set<string>();

  /** Extra latency per operation, on top of options.latencyMs (tests slow one step down). */
  readonly latencyMs = new Map<Operation, number>();

  constructor(private readonly options: SimulatedProviderOptions = {}) {}

  /**
   * The next `times` calls of this operation fail as if the provider were unreachable: before
   * it acted ("unreachable"), or after it acted with the answer lost on the way back
   * ("answer_lost", a timeout at the worst moment).
   */
  failNext(operation: Operation, times = 1, when: FailureMode = "unreachable"): void {
    this.failures.set(operation, { times, when });
  }

  payments(): SimulatedPayment[] {
    return [...this.byId.values()];
  }

  authorize(request: Parameters<PaymentProvider["authorize"]>[0]): Promise<AuthorizeResult> {
    return this.step("authorize", async () => this.authorizeNow(request));
  }

  private authorizeNow(request: Parameters<PaymentProvider["authorize"]>[0]): AuthorizeResult {
    const known = this.byKey.get(request.idempotencyKey);
    if (known) return { kind: "authorized", providerPaymentId: known.providerPaymentId };
    const declined = this.declinedKeys.get(request.idempotencyKey);
    if (declined) return declined;
    const card = TEST_CARDS[request.card.number] ?? { kind: "declined", reason: "invalid_card" };
    if (card.kind === "declined") {
      this.declinedKeys.set(request.idempotencyKey, card);
      return card;
    }
    const payment: SimulatedPayment = {
      providerPaymentId: `sim_${randomUUID()}`,
      idempotencyKey: request.idempotencyKey,
      amountMinor: request.amountMinor,
      currency: request.currency,
      status: "authorized",
    };
    this.byId.set(payment.providerPaymentId, payment);
    this.byKey.set(request.idempotencyKey, payment);
    return { kind: "authorized", providerPaymentId: payment.providerPaymentId };
  }

  async capture(providerPaymentId: string, idempotencyKey: string): Promise<void> {
    await this.move(providerPaymentId, idempotencyKey, "capture", "authorized", "captured");
  }

  async void(providerPaymentId: string, idempotencyKey: string): Promise<void> {
    await this.move(providerPaymentId, idempotencyKey, "void", "authorized", "voided");
  }

  async refund(providerPaymentId: string, idempotencyKey: string): Promise<void> {
    await this.move(providerPaymentId, idempotencyKey, "refund", "captured", "refunded");
  }

  async lookup(idempotencyKey: string) {
    const payment = this.byKey.get(idempotencyKey);
    return payment ? { providerPaymentId: payment.providerPaymentId, status: payment.status } : undefined;
  }

  private move(id: string, idempotencyKey: string, operation: Operation, from: SimulatedPayment["status"], to: SimulatedPayment["status"]) {
    return this.step(operation, async () => {
      const payment = this.byId.get(id);
      if (!payment) throw new Error(`no such payment ${id}`);
      // A repeated call with the same key (or reaching the same end state) succeeds without effect.
      if (this.seenKeys.has(idempotencyKey) || payment.status === to) return;
      if (payment.status !== from) throw new Error(`cannot ${operation} a payment that is ${payment.status}`);
      payment.status = to;
      this.seenKeys.add(idempotencyKey);
    });
  }

  private async step<T>(operation: Operation, act: () => Promise<T>): Promise<T> {
    const delay = (this.options.latencyMs ?? 0) + (this.latencyMs.get(operation) ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const failure = this.failures.get(operation);
    if (!failure || failure.times <= 0) return act();
    this.failures.set(operation, { ...failure, times: failure.times - 1 });
    if (failure.when === "answer_lost") await act();
    throw new ProviderUnavailableError(`simulated ${operation} outage`);
  }
}
