import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import type { AuthorizeResult, PaymentProvider } from "../../domain/payment-provider.js";
import { simulatedPaymentBooks, type SimulatedOperation as MoveOperation, type SimulatedPayment, type SimulatedStatus } from "./simulated-payment-books.js";

export type { SimulatedPayment } from "./simulated-payment-books.js";

/** The well-known test cards (DESIGN.md); any other number is rejected as invalid. */
const TEST_CARDS: Record<string, AuthorizeResult> = {
  "4242424242424242": { kind: "authorized", providerPaymentId: "" },
  "4000000000000002": { kind: "declined", reason: "card_declined" },
  "4000000000009995": { kind: "declined", reason: "insufficient_funds" },
};

type Operation = "authorize" | MoveOperation;
type FailureMode = "unreachable" | "answer_lost";

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
 * cards, latency, and injectable failures. Its books are tables in PostgreSQL, so every booking
 * replica and every restart sees the same authorizations (and tests can audit every charge);
 * injected failures and latency belong to this process only.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = "simulated";
  private readonly books: ReturnType<typeof simulatedPaymentBooks>;
  private readonly failures = new Map<Operation, { times: number; when: FailureMode }>();

  /** Extra latency per operation, on top of options.latencyMs (tests slow one step down). */
  readonly latencyMs = new Map<Operation, number>();

  constructor(
    db: Knex,
    private readonly options: SimulatedProviderOptions = {},
  ) {
    this.books = simulatedPaymentBooks(db);
  }

  /**
   * The next `times` calls of this operation fail as if the provider were unreachable: before
   * it acted ("unreachable"), or after it acted with the answer lost on the way back
   * ("answer_lost", a timeout at the worst moment).
   */
  failNext(operation: Operation, times = 1, when: FailureMode = "unreachable"): void {
    this.failures.set(operation, { times, when });
  }

  /** Every authorization the provider holds, in the order they were made. */
  payments(): Promise<SimulatedPayment[]> {
    return this.books.all();
  }

  authorize(request: Parameters<PaymentProvider["authorize"]>[0]): Promise<AuthorizeResult> {
    return this.step("authorize", async () => {
      const card = TEST_CARDS[request.card.number] ?? { kind: "declined", reason: "invalid_card" };
      const outcome: AuthorizeResult = card.kind === "authorized" ? { kind: "authorized", providerPaymentId: `sim_${randomUUID()}` } : card;
      return this.books.authorizeOnce(request, outcome);
    });
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
    const payment = await this.books.byKey(idempotencyKey);
    return payment ? { providerPaymentId: payment.providerPaymentId, status: payment.status } : undefined;
  }

  private move(id: string, idempotencyKey: string, operation: MoveOperation, from: SimulatedStatus, to: SimulatedStatus) {
    return this.step(operation, () => this.books.move(id, idempotencyKey, operation, from, to));
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
