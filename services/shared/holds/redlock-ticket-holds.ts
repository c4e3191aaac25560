import type { Redis } from "ioredis";
// The maintained TypeScript fork of redlock: npm's "redlock" latest (4.x) predates ioredis 5,
// and its 5.0 beta ships types that Node's ESM resolution cannot find.
import { ExecutionError, Lock, Redlock, ResourceLockedError } from "@sesamecare-oss/redlock";
import { createRedisQuorumHoldReader } from "./redis-quorum-hold-reader.js";
import { holdKey, type HoldOutcome, type HoldReader, type TicketHolds } from "./ticket-holds.js";

/**
 * Holds through Redlock over independent Redis masters: every ticket key of a request is set
 * NX PX on each node in one script (all or none per node), and the hold stands when a quorum
 * agrees. The lock value Redlock draws is the holder token.
 */
export class RedlockTicketHolds implements TicketHolds {
  private readonly redlock: Redlock;
  private readonly reader: HoldReader;
  private readonly quorum: number;

  constructor(private readonly nodes: readonly Redis[]) {
    // No retries: a seat someone else holds will not be free 200 ms later, and a buyer
    // should hear "taken" at once.
    this.redlock = new Redlock(nodes as Redis[], { retryCount: 0, driftFactor: 0.01 });
    this.reader = createRedisQuorumHoldReader(nodes);
    this.quorum = Math.floor(nodes.length / 2) + 1;
  }

  async hold(ticketIds: readonly string[], ttlMs: number): Promise<HoldOutcome> {
    try {
      const lock = await this.redlock.acquire(ticketIds.map(holdKey), ttlMs);
      return { kind: "held", token: lock.value, expiresAt: new Date(lock.expiration) };
    } catch (error) {
      if (!(error instanceof ExecutionError)) throw error;
      return this.whyRefused(ticketIds, error);
    }
  }

  async release(ticketIds: readonly string[], token: string): Promise<void> {
    const lock = new Lock(this.redlock, ticketIds.map(holdKey), token, [], Date.now());
    // Best effort: whatever is not released now expires by its TTL.
    await this.redlock.release(lock, { retryCount: 0 }).catch(() => undefined);
  }

  holders(ticketIds: readonly string[]): Promise<Map<string, string>> {
    return this.reader.holders(ticketIds);
  }

  /** Tells "someone holds these" apart from "not enough nodes answered". */
  private async whyRefused(ticketIds: readonly string[], error: ExecutionError): Promise<HoldOutcome> {
    const stats = await error.attempts[error.attempts.length - 1];
    const against = [...(stats?.votesAgainst.values() ?? [])];
    const answered = (stats?.votesFor.size ?? 0) + against.filter((reason) => reason instanceof ResourceLockedError).length;
    if (answered < this.quorum) {
      return { kind: "unavailable", reason: `${answered} of ${this.nodes.length} lock nodes answered` };
    }
    const keys = ticketIds.map(holdKey);
    const answers = await Promise.all(this.nodes.map((node) => node.mget(...keys).catch(() => [] as (string | null)[])));
    const taken = ticketIds.filter((_, index) => answers.some((answer) => answer[index]));
    // Keys can vanish between the refusal and this read (a hold just expired): report all then.
    return { kind: "taken", ticketIds: taken.length > 0 ? taken : [...ticketIds] };
  }
}
