import { randomBytes } from "node:crypto";
import { holderToken } from "./holder-token.js";
import type { HoldOutcome, TicketHolds } from "./ticket-holds.js";

interface Hold {
  token: string;
  expiresAtMs: number;
}

/**
 * The embedded default's lock store: one process, so a Map is a correct lock. Expiry is checked
 * on read, which is what a TTL means to a reader.
 */
export class InMemoryTicketHolds implements TicketHolds {
  private readonly holds = new Map<string, Hold>();

  constructor(private readonly now: () => number = Date.now) {}

  async hold(ticketIds: readonly string[], ttlMs: number, userId: string): Promise<HoldOutcome> {
    const taken = ticketIds.filter((id) => this.live(id) !== undefined);
    if (taken.length > 0) return { kind: "taken", ticketIds: taken };
    const hold = { token: holderToken(userId, randomBytes(16).toString("hex")), expiresAtMs: this.now() + ttlMs };
    for (const id of ticketIds) this.holds.set(id, hold);
    return { kind: "held", token: hold.token, expiresAt: new Date(hold.expiresAtMs) };
  }

  async release(ticketIds: readonly string[], token: string): Promise<void> {
    for (const id of ticketIds) {
      if (this.live(id)?.token === token) this.holds.delete(id);
    }
  }

  async holders(ticketIds: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const id of ticketIds) {
      const hold = this.live(id);
      if (hold) result.set(id, hold.token);
    }
    return result;
  }

  private live(ticketId: string): Hold | undefined {
    const hold = this.holds.get(ticketId);
    if (hold && hold.expiresAtMs <= this.now()) {
      this.holds.delete(ticketId);
      return undefined;
    }
    return hold;
  }
}
