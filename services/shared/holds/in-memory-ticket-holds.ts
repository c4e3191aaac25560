import { randomBytes, randomUUID } from "node:crypto";
import { holderToken } from "./holder-token.js";
import { holderOf } from "./holder-token.js";
import type { ClaimOutcome, ClaimRequest, EventHold, HoldOutcome, HoldRequest, LockOutcome, ReleaseRequest, TicketHolds, UserHold } from "./ticket-holds.js";

interface Hold {
  eventId: string;
  token: string;
  expiresAtMs: number;
  /** The record kept beside the hold (a reservation), as the buyer's index of the Redis store keeps it. */
  recordKey?: string;
}

/**
 * The embedded default's lock store: one process, so a Map is a correct lock. Expiry is checked
 * on read, which is what a TTL means to a reader.
 */
export class InMemoryTicketHolds implements TicketHolds {
  private readonly holds = new Map<string, Hold>();
  private readonly byEvent = new Map<string, Set<string>>();
  private readonly records = new Map<string, { value: string; expiresAtMs: number }>();
  private readonly locks = new Map<string, { token: string; expiresAtMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hold(request: HoldRequest): Promise<HoldOutcome> {
    const holders = new Map<string, string>();
    for (const id of request.ticketIds) {
      const live = this.live(id);
      if (live) holders.set(id, live.token);
    }
    if (holders.size > 0) return { kind: "taken", ticketIds: [...holders.keys()], holders };
    const hold: Hold = {
      eventId: request.eventId,
      token: holderToken(request.userId, randomBytes(16).toString("hex")),
      expiresAtMs: this.now() + request.ttlMs,
      ...(request.record ? { recordKey: request.record.key } : {}),
    };
    const inEvent = this.byEvent.get(request.eventId) ?? new Set<string>();
    this.byEvent.set(request.eventId, inEvent);
    for (const id of request.ticketIds) {
      this.holds.set(id, hold);
      inEvent.add(id);
    }
    const expiresAt = new Date(hold.expiresAtMs);
    if (request.record) this.records.set(request.record.key, { value: request.record.value({ token: hold.token, expiresAt }), expiresAtMs: hold.expiresAtMs });
    return { kind: "held", token: hold.token, expiresAt };
  }

  async release(request: ReleaseRequest): Promise<void> {
    for (const id of request.ticketIds) {
      if (this.live(id)?.token === request.token) this.drop(id);
    }
    if (request.recordKey) this.records.delete(request.recordKey);
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const holders = new Map<string, string>();
    for (const id of request.ticketIds) {
      const live = this.live(id);
      if (live && holderOf(live.token) !== request.userId) holders.set(id, live.token);
    }
    if (holders.size > 0) return { kind: "taken", ticketIds: [...holders.keys()], holders };
    const expiresAtMs = this.now() + request.ttlMs;
    const inEvent = this.byEvent.get(request.eventId) ?? new Set<string>();
    this.byEvent.set(request.eventId, inEvent);
    for (const id of request.ticketIds) {
      const live = this.live(id);
      // A hold object may be shared by several seats of one reservation: extend a copy per seat.
      const recordKey = live ? live.recordKey : request.recordKey;
      this.holds.set(id, {
        eventId: request.eventId,
        token: live?.token ?? request.token,
        expiresAtMs: Math.max(live?.expiresAtMs ?? 0, expiresAtMs),
        ...(recordKey ? { recordKey } : {}),
      });
      inEvent.add(id);
    }
    const record = request.recordKey ? this.records.get(request.recordKey) : undefined;
    if (record && record.expiresAtMs > this.now()) record.expiresAtMs = Math.max(record.expiresAtMs, expiresAtMs);
    return { kind: "claimed" };
  }

  async holders(ticketIds: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const id of ticketIds) {
      const hold = this.live(id);
      if (hold) result.set(id, hold.token);
    }
    return result;
  }

  async eventHolds(eventId: string): Promise<Map<string, EventHold>> {
    const result = new Map<string, EventHold>();
    for (const id of this.byEvent.get(eventId) ?? []) {
      const hold = this.live(id);
      if (hold) result.set(id, { token: hold.token, expiresAtMs: hold.expiresAtMs });
    }
    return result;
  }

  async userHolds(eventId: string, userId: string): Promise<Map<string, UserHold>> {
    const result = new Map<string, UserHold>();
    for (const id of this.byEvent.get(eventId) ?? []) {
      const hold = this.live(id);
      if (hold && holderOf(hold.token) === userId) {
        result.set(id, { token: hold.token, expiresAtMs: hold.expiresAtMs, ...(hold.recordKey ? { recordKey: hold.recordKey } : {}) });
      }
    }
    return result;
  }

  async lock(key: string, ttlMs: number): Promise<LockOutcome> {
    const held = this.locks.get(key);
    if (held && held.expiresAtMs > this.now()) return { kind: "busy" };
    const token = randomUUID();
    this.locks.set(key, { token, expiresAtMs: this.now() + ttlMs });
    return { kind: "locked", token };
  }

  async unlock(key: string, token: string): Promise<void> {
    if (this.locks.get(key)?.token === token) this.locks.delete(key);
  }

  async readRecord(key: string): Promise<string | undefined> {
    const record = this.records.get(key);
    if (record && record.expiresAtMs <= this.now()) {
      this.records.delete(key);
      return undefined;
    }
    return record?.value;
  }

  private live(ticketId: string): Hold | undefined {
    const hold = this.holds.get(ticketId);
    if (hold && hold.expiresAtMs <= this.now()) {
      this.drop(ticketId);
      return undefined;
    }
    return hold;
  }

  private drop(ticketId: string) {
    const hold = this.holds.get(ticketId);
    if (!hold) return;
    this.holds.delete(ticketId);
    this.byEvent.get(hold.eventId)?.delete(ticketId);
  }
}
