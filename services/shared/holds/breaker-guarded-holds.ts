import CircuitBreaker from "opossum";
import {
  HoldsUnavailableError,
  type ClaimOutcome,
  type ClaimRequest,
  type EventHold,
  type HoldOutcome,
  type HoldRequest,
  type LockOutcome,
  type ReleaseRequest,
  type TicketHolds,
  type UserHold,
} from "./ticket-holds.js";

export interface BreakerOptions {
  /** How long a caller waits for the lock nodes; a slower call answers "unavailable" but is not a failure. */
  timeoutMs: number;
  /** How long the breaker stays open before it lets one call probe the nodes again. */
  resetTimeoutMs: number;
}

/**
 * Stops waiting on dead lock nodes: after repeated failures every call answers "unavailable"
 * at once for a while (callers degrade to direct database sales), then one probe decides
 * whether holds resume.
 *
 * Slow is not down. The caller stops waiting after timeoutMs, but the breaker judges the call
 * by how it really ends: nodes that answer late count as a success, only errors (a refused
 * connection, the nodes' own command timeout, no quorum) as failures. A hold granted after
 * its caller stopped waiting is released at once, since no reservation will ever name it.
 */
export class BreakerGuardedHolds implements TicketHolds {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(
    private readonly inner: TicketHolds,
    private readonly options: BreakerOptions = { timeoutMs: 1_500, resetTimeoutMs: 5_000 },
    onStateChange?: (state: "open" | "halfOpen" | "close") => void,
  ) {
    this.breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
      timeout: false,
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
    const call = async () => {
      const result = await this.inner.hold(request);
      // An unreachable quorum is a failure of the nodes, even though Redlock answered.
      if (result.kind === "unavailable") throw new HoldsUnavailableError(result.reason);
      return result;
    };
    const releaseLate = (late: HoldOutcome) => {
      if (late.kind !== "held") return;
      void this.inner.release({ eventId: request.eventId, ticketIds: request.ticketIds, token: late.token, recordKey: request.record?.key }).catch(() => undefined);
    };
    try {
      return await this.bounded(call, releaseLate);
    } catch (error) {
      return { kind: "unavailable", reason: (error as Error).message };
    }
  }

  async release(request: ReleaseRequest): Promise<void> {
    await this.bounded(() => this.inner.release(request)).catch(() => undefined);
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    try {
      return await this.bounded(async () => {
        const result = await this.inner.claim(request);
        if (result.kind === "unavailable") throw new HoldsUnavailableError(result.reason);
        return result;
      });
    } catch (error) {
      // A late claim is left to lapse: it lasts one confirm deadline, not a hold's TTL, and if it
      // lands after the sale it only re-holds seats the database already shows as booked.
      return { kind: "unavailable", reason: (error as Error).message };
    }
  }

  async lock(key: string, ttlMs: number): Promise<LockOutcome> {
    const call = async () => {
      const result = await this.inner.lock(key, ttlMs);
      if (result.kind === "unavailable") throw new HoldsUnavailableError(result.reason);
      return result;
    };
    // A lock granted after its caller stopped waiting guards nothing: given back at once.
    const releaseLate = (late: LockOutcome) => {
      if (late.kind === "locked") void this.inner.unlock(key, late.token).catch(() => undefined);
    };
    try {
      return await this.bounded(call, releaseLate);
    } catch (error) {
      return { kind: "unavailable", reason: (error as Error).message };
    }
  }

  async unlock(key: string, token: string): Promise<void> {
    await this.bounded(() => this.inner.unlock(key, token)).catch(() => undefined);
  }

  holders(ticketIds: readonly string[]): Promise<Map<string, string>> {
    return this.read(() => this.inner.holders(ticketIds));
  }

  userHolds(eventId: string, userId: string): Promise<Map<string, UserHold>> {
    return this.read(() => this.inner.userHolds(eventId, userId));
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
      return await this.bounded(call);
    } catch (error) {
      throw error instanceof HoldsUnavailableError ? error : new HoldsUnavailableError((error as Error).message);
    }
  }

  /** The call through the breaker, waited for at most timeoutMs; `late` receives what it answers after that. */
  private bounded<T>(call: () => Promise<T>, late?: (value: T) => void): Promise<T> {
    const fired = this.breaker.fire(call) as Promise<T>;
    return new Promise<T>((resolve, reject) => {
      let waiting = true;
      const timer = setTimeout(() => {
        waiting = false;
        reject(new HoldsUnavailableError(`the lock nodes did not answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      fired.then(
        (value) => {
          clearTimeout(timer);
          if (waiting) resolve(value);
          else late?.(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (waiting) reject(error);
        },
      );
    });
  }
}
