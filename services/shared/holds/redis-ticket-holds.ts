import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { holderToken } from "./holder-token.js";
import { withHoldScripts, type HoldScripts } from "./hold-scripts.js";
import { quorumOf, readByQuorum, settleByQuorum, writeToQuorum, type NodeAnswer } from "./quorum-calls.js";
import { createRedisQuorumHoldReader, settledHolds } from "./redis-quorum-hold-reader.js";
import {
  eventHoldsKey,
  holdKey,
  HoldsUnavailableError,
  userHoldsKey,
  userHoldsKeyOf,
  type LockOutcome,
  type UserHold,
  type ClaimOutcome,
  type ClaimRequest,
  type EventHold,
  type HoldOutcome,
  type HoldReader,
  type HoldRequest,
  type ReleaseRequest,
  type TicketHolds,
} from "./ticket-holds.js";

// Redlock's clock drift allowance: 1% of the TTL plus 2 ms for the nodes' timer resolution.
const DRIFT_FACTOR = 0.01;
const DRIFT_FIXED_MS = 2;

/**
 * Holds by the Redlock algorithm over independent Redis masters: a hold stands when a majority
 * of nodes granted it within its validity time (TTL less elapsed time and clock drift), and is
 * released everywhere otherwise. Redlock libraries (@sesamecare-oss/redlock among them) run a
 * fixed SET-NX script and need further round trips for a reservation record, an event index
 * and "who holds it" on refusal; here one script per node does all of it, so a reserve costs
 * one round trip per node whether it is held or refused (hold-scripts.ts).
 */
export class RedisTicketHolds implements TicketHolds {
  private readonly nodes: Array<Redis & HoldScripts>;
  private readonly reader: HoldReader;
  private readonly quorum: number;

  constructor(nodes: readonly Redis[], private readonly now: () => number = Date.now) {
    this.nodes = nodes.map(withHoldScripts);
    this.reader = createRedisQuorumHoldReader(this.nodes, now);
    this.quorum = quorumOf(nodes.length);
  }

  async hold(request: HoldRequest): Promise<HoldOutcome> {
    // randomUUID draws from a pooled buffer; randomBytes would make a system call per hold.
    const token = holderToken(request.userId, randomUUID().replaceAll("-", ""));
    const started = this.now();
    const expiresAtMs = started + request.ttlMs - Math.round(request.ttlMs * DRIFT_FACTOR) - DRIFT_FIXED_MS;
    const expiresAt = new Date(expiresAtMs);
    const record = request.record ? request.record.value({ token, expiresAt }) : "";
    const keys = [...request.ticketIds.map(holdKey), eventHoldsKey(request.eventId), userHoldsKey(request.eventId, token), ...(request.record ? [request.record.key] : [])];
    const args = [token, request.ttlMs, expiresAtMs, record, ...request.ticketIds];
    const calls = this.nodes.map((node) => node.holdTickets(keys.length, ...keys, ...args));
    const outcome = await settleByQuorum(calls, (answers) => this.decide(answers, token, expiresAt));
    if (outcome.kind === "held" && this.now() >= expiresAtMs) {
      // Granted, but too late to be worth anything: Redlock's validity check.
      this.releaseEverywhere({ ...request, token, recordKey: request.record?.key });
      return { kind: "unavailable", reason: "the lock nodes answered after the hold's validity time" };
    }
    // Nodes that granted (or may still grant) must not keep a minority hold nobody owns.
    if (outcome.kind !== "held") this.releaseEverywhere({ ...request, token, recordKey: request.record?.key });
    return outcome;
  }

  async release(request: ReleaseRequest): Promise<void> {
    // Best effort: whatever is not released now expires by its TTL.
    await writeToQuorum(this.nodes, (node) => this.releaseOn(node as Redis & HoldScripts, request)).catch(() => undefined);
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const started = this.now();
    const expiresAtMs = started + request.ttlMs - Math.round(request.ttlMs * DRIFT_FACTOR) - DRIFT_FIXED_MS;
    const keys = [...request.ticketIds.map(holdKey), eventHoldsKey(request.eventId), userHoldsKeyOf(request.eventId, request.userId), ...(request.recordKey ? [request.recordKey] : [])];
    const args = [holderToken(request.userId, ""), request.token, request.ttlMs, expiresAtMs, ...request.ticketIds];
    const calls = this.nodes.map((node) => node.claimTickets(keys.length, ...keys, ...args));
    const outcome = await settleByQuorum(calls, (answers): ClaimOutcome | undefined => {
      const tally = this.tally(answers);
      if (tally.granted >= this.quorum) return { kind: "claimed" };
      if (tally.granted + tally.pending >= this.quorum) return undefined;
      if (tally.refused === 0) return { kind: "unavailable", reason: `${this.nodes.length - tally.failed} of ${this.nodes.length} lock nodes answered` };
      return { kind: "taken", ticketIds: [...tally.holders.keys()], holders: tally.holders };
    });
    // Redlock's validity check: a claim granted after its own TTL protects nothing.
    if (outcome.kind === "claimed" && this.now() >= expiresAtMs) return { kind: "unavailable", reason: "the lock nodes answered after the claim's validity time" };
    return outcome;
  }

  holders(ticketIds: readonly string[]): Promise<Map<string, string>> {
    return this.reader.holders(ticketIds);
  }

  eventHolds(eventId: string): Promise<Map<string, EventHold>> {
    return this.reader.eventHolds(eventId);
  }

  async readRecord(key: string): Promise<string | undefined> {
    const [answer] = await readByQuorum(this.nodes as Redis[], [key]);
    return answer?.agreed;
  }

  userHolds(eventId: string, userId: string): Promise<Map<string, UserHold>> {
    // As eventHolds reads the event's index: HGETALL on each node, the holds a majority agrees on.
    const calls = this.nodes.map((node) => node.hgetall(userHoldsKeyOf(eventId, userId)));
    return settleByQuorum(calls, (answers) => {
      const failed = answers.filter((answer) => answer?.ok === false).length;
      if (this.nodes.length - failed < this.quorum) throw new HoldsUnavailableError(`${this.nodes.length - failed} of ${this.nodes.length} lock nodes answered`);
      const answered = answers.filter((answer) => answer?.ok).map((answer) => (answer as { value: Record<string, string> }).value);
      if (answered.length < this.quorum) return undefined;
      return settledHolds(answered, this.quorum, this.now(), this.nodes.length - failed - answered.length);
    });
  }

  async lock(key: string, ttlMs: number): Promise<LockOutcome> {
    const token = randomUUID();
    const started = this.now();
    const validUntil = started + ttlMs - Math.round(ttlMs * DRIFT_FACTOR) - DRIFT_FIXED_MS;
    const calls = this.nodes.map((node) => node.set(key, token, "PX", ttlMs, "NX"));
    const outcome = await settleByQuorum(calls, (answers): LockOutcome | undefined => {
      const granted = answers.filter((answer) => answer?.ok && answer.value === "OK").length;
      const refused = answers.filter((answer) => answer?.ok && answer.value !== "OK").length;
      const failed = answers.filter((answer) => answer?.ok === false).length;
      if (granted >= this.quorum) return { kind: "locked", token };
      if (granted + (this.nodes.length - granted - refused - failed) >= this.quorum) return undefined;
      return refused > 0 ? { kind: "busy" } : { kind: "unavailable", reason: `${this.nodes.length - failed} of ${this.nodes.length} lock nodes answered` };
    });
    if (outcome.kind === "locked" && this.now() < validUntil) return outcome;
    // Not held by a majority in time: the nodes that granted (or may still) must not keep it.
    for (const node of this.nodes) void node.unlockKey(key, token).catch(() => undefined);
    return outcome.kind === "locked" ? { kind: "unavailable", reason: "the lock nodes answered after the lock's validity time" } : outcome;
  }

  async unlock(key: string, token: string): Promise<void> {
    await writeToQuorum(this.nodes, (node) => (node as Redis & HoldScripts).unlockKey(key, token)).catch(() => undefined);
  }

  private decide(answers: ReadonlyArray<NodeAnswer<string[]> | undefined>, token: string, expiresAt: Date): HoldOutcome | undefined {
    const { granted, refused, failed, pending, holders } = this.tally(answers);
    if (granted >= this.quorum) return { kind: "held", token, expiresAt };
    if (granted + pending >= this.quorum) return undefined;
    if (refused === 0) return { kind: "unavailable", reason: `${this.nodes.length - failed} of ${this.nodes.length} lock nodes answered` };
    return { kind: "taken", ticketIds: [...holders.keys()], holders };
  }

  /** The hold and claim scripts answer an empty list when granted, else {ticket id, holder token, …}. */
  private tally(answers: ReadonlyArray<NodeAnswer<string[]> | undefined>) {
    let granted = 0;
    let refused = 0;
    let failed = 0;
    const holders = new Map<string, string>();
    for (const answer of answers) {
      if (answer === undefined) continue;
      if (!answer.ok) failed += 1;
      else if (answer.value.length === 0) granted += 1;
      else {
        refused += 1;
        const pairs = answer.value;
        for (let index = 0; index + 1 < pairs.length; index += 2) holders.set(pairs[index]!, pairs[index + 1]!);
      }
    }
    return { granted, refused, failed, pending: this.nodes.length - granted - refused - failed, holders };
  }

  private releaseOn(node: Redis & HoldScripts, request: ReleaseRequest) {
    const keys = [...request.ticketIds.map(holdKey), eventHoldsKey(request.eventId), userHoldsKey(request.eventId, request.token), ...(request.recordKey ? [request.recordKey] : [])];
    return node.releaseTickets(keys.length, ...keys, request.token, ...request.ticketIds);
  }

  private releaseEverywhere(request: ReleaseRequest) {
    for (const node of this.nodes) void this.releaseOn(node, request).catch(() => undefined);
  }
}
