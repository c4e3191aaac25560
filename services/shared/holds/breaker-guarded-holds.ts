import CircuitBreaker from "opossum";
import { HoldsUnavailableError, type EventHold, type HoldOutcome, type HoldRequest, type ReleaseRequest, type TicketHolds } from "./ticket-holds.js";

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

  async hold(request: HoldRequest): Promise<HoldOutcome> {
    try {
      const outcome = (await this.breaker.fire(async () => {
        const result = await this.inner.hold(request);
        // An unreachable quorum is a failure of the nodes, even though Redlock answered.
        if (result.kind === "unavailable") throw new HoldsUnavailableError(result.reason);
        return result;
      })) as HoldOutcome;
      return outcome;
    } catch (error) {
      return { kind: "unavailable", reason: (error as Error).message };
    }
  }

  async release(request: ReleaseRequest): Promise<void> {
    await this.breaker.fire(() => this.inner.release(request)).catch(() => undefined);
  }

  holders(ticketIds: readonly string[]): Promise<Map<string, string>> {
    return this.read(() => this.inner.holders(ticketIds));
  }

  eventHolds(eventId: string): Promise<Map<string, EventHold>> {
    return this.read(() => this.inner.eventHolds(eventId));
  }

  readRecord(key: string): Promise<string | undefined> {
    return this.read(() => this.inner.readRecord(key));
  }

  /** A read the breaker cut or the nodes could not answer is "unknown", never "nothing there". */
  private async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(call)) as T;
    } catch (error) {
      throw error instanceof HoldsUnavailableError ? error : new HoldsUnavailableError((error as Error).message);
    }
  }
}
