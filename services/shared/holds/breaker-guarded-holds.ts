import CircuitBreaker from "opossum";
import { HoldsUnavailableError, type HoldOutcome, type TicketHolds } from "./ticket-holds.js";

export interface BreakerOptions {
  /** A call slower than this counts as a failure. */
  timeoutMs: number;
  /** How long the breaker stays open before it lets one call probe the nodes again. */
  resetTimeoutMs: number;
}

/**
 * Stops waiting on dead lock nodes: after repeated failures every call answers "unavailable"
 * at once for a while (callers degrade to direct database sales), then one probe decides
 * whether holds resume.
 */
export class BreakerGuardedHolds implements TicketHolds {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(
    private readonly inner: TicketHolds,
    options: BreakerOptions = { timeoutMs: 1_500, resetTimeoutMs: 5_000 },
    onStateChange?: (state: "open" | "halfOpen" | "close") => void,
  ) {
    this.breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
      timeout: options.timeoutMs,
      resetTimeout: options.resetTimeoutMs,
      errorThresholdPercentage: 50,
      rollingCountTimeout: 10_000,
      volumeThreshold: 3,
    });
    this.breaker.on("open", () => onStateChange?.("open"));
    this.breaker.on("halfOpen", () => onStateChange?.("halfOpen"));
    this.breaker.on("close", () => onStateChange?.("close"));
  }

  get isOpen(): boolean {
    return this.breaker.opened;
  }

  async hold(ticketIds: readonly string[], ttlMs: number, userId: string): Promise<HoldOutcome> {
    try {
      const outcome = (await this.breaker.fire(async () => {
        const result = await this.inner.hold(ticketIds, ttlMs, userId);
        // An unreachable quorum is a failure of the nodes, even though Redlock answered.
        if (result.kind === "unavailable") throw new HoldsUnavailableError(result.reason);
        return result;
      })) as HoldOutcome;
      return outcome;
    } catch (error) {
      return { kind: "unavailable", reason: (error as Error).message };
    }
  }

  async release(ticketIds: readonly string[], token: string): Promise<void> {
    await this.breaker.fire(() => this.inner.release(ticketIds, token)).catch(() => undefined);
  }

  async holders(ticketIds: readonly string[]): Promise<Map<string, string>> {
    try {
      return (await this.breaker.fire(() => this.inner.holders(ticketIds))) as Map<string, string>;
    } catch (error) {
      throw error instanceof HoldsUnavailableError ? error : new HoldsUnavailableError((error as Error).message);
    }
  }
}
