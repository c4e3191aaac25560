import type { HoldOutcome, TicketHolds } from "./ticket-holds.js";

interface Hold {
  holder: string;
  expiresAtMs: number;
}

/**
 * The embedded default's lock store: one process, so a Map is a correct lock. Expiry is checked
 * on read, which is what a TTL means to a reader.
 */
export class InMemoryTicketHolds implements TicketHolds {
  private readonly holds = new Map<string, Hold>();

  constructor(private readonly now: () => number = Date.now) {}

  async hold(ticketIds: readonly string[], holder: string, ttlMs: number): Promise<HoldOutcome> {
    const taken = ticketIds.filter((id) => {
      const current = this.live(id);
      return current !== undefined && current.holder !== holder;
    });
    if (taken.length > 0) return { kind: "taken", ticketIds: taken };
    const expiresAtMs = this.now() + ttlMs;
    for (const id of ticketIds) this.holds.set(id, { holder, expiresAtMs });
    return { kind: "held", expiresAt: new Date(expiresAtMs) };
  }

  async release(ticketIds: readonly string[], holder: string): Promise<void> {
    for (const id of ticketIds) {
      if (this.live(id)?.holder === holder) this.holds.delete(id);
    }
  }

  async holders(ticketIds: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const id of ticketIds) {
      const hold = this.live(id);
      if (hold) result.set(id, hold.holder);
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
