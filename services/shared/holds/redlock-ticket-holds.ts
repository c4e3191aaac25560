import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
// The maintained TypeScript fork of redlock: npm's "redlock" latest (4.x) predates ioredis 5,
// and its 5.0 beta ships types that Node's ESM resolution cannot find.
import { ExecutionError, Lock, Redlock } from "@sesamecare-oss/redlock";
import { holderToken } from "./holder-token.js";
import { readByQuorum } from "./quorum-calls.js";
import { holdKey, HoldsUnavailableError, type HoldOutcome, type HoldReader, type TicketHolds } from "./ticket-holds.js";
import { createRedisQuorumHoldReader } from "./redis-quorum-hold-reader.js";

/**
 * Holds through Redlock over independent Redis masters: every ticket key of a request is set
 * NX PX on each node in one script (all or none per node), and the hold stands when a quorum
 * agrees. The lock value is the holder token, which names the buyer.
 */
export class RedlockTicketHolds implements TicketHolds {
  private readonly redlock: Redlock;
  private readonly reader: HoldReader;

  constructor(private readonly nodes: readonly Redis[]) {
    // No retries: a seat someone else holds will not be free 200 ms later, and a buyer
    // should hear "taken" at once.
    this.redlock = new Redlock(nodes as Redis[], { retryCount: 0, driftFactor: 0.01 });
    this.reader = createRedisQuorumHoldReader(nodes);
  }

  async hold(ticketIds: readonly string[], ttlMs: number, userId: string): Promise<HoldOutcome> {
    const token = holderToken(userId, randomBytes(16).toString("hex"));
    try {
      const lock = await acquireWithValue(this.redlock, ticketIds.map(holdKey), ttlMs, token);
      return { kind: "held", token, expiresAt: new Date(lock.expiration) };
    } catch (error) {
      if (!(error instanceof ExecutionError)) throw error;
      return this.whyRefused(ticketIds);
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

  /** Tells "someone holds these" apart from "not enough nodes answered", without waiting for a hung node. */
  private async whyRefused(ticketIds: readonly string[]): Promise<HoldOutcome> {
    let values;
    try {
      values = await readByQuorum(this.nodes, ticketIds.map(holdKey));
    } catch (error) {
      if (error instanceof HoldsUnavailableError) return { kind: "unavailable", reason: error.message };
      throw error;
    }
    const taken = ticketIds.filter((_, index) => values[index]?.seen);
    // Keys can vanish between the refusal and this read (a hold just expired): report all then.
    return { kind: "taken", ticketIds: taken.length > 0 ? taken : [...ticketIds] };
  }
}

/**
 * Redlock draws each lock value itself (its private `_random()`, called synchronously at the
 * start of acquire), but a hold's value must name its holder. So one acquire runs on a view of
 * the shared instance whose `_random` answers the token; everything else (clients, settings,
 * quorum, release of a partial lock on failure) is the library's own. Checked afterwards, so
 * a library change that stops honouring it fails loudly instead of storing anonymous holds.
 */
async function acquireWithValue(redlock: Redlock, resources: string[], ttlMs: number, value: string): Promise<Lock> {
  const view = Object.create(redlock, { _random: { value: () => value } }) as Redlock;
  const lock = await view.acquire(resources, ttlMs);
  if (lock.value !== value) {
    await redlock.release(lock, { retryCount: 0 }).catch(() => undefined);
    throw new Error("redlock no longer takes the holder token as the lock value; see acquireWithValue");
  }
  return lock;
}
