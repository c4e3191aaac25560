import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { ticketStatusChannel, type TicketStatusBus, type TicketStatusChange } from "./ticket-status-bus.js";

/**
 * Redis pub/sub between replicas. One subscriber connection per process (a connection in
 * subscribe mode can do nothing else), one Redis channel per watched event, shared by every
 * local watcher of that event.
 */
export class RedisTicketStatusBus implements TicketStatusBus {
  private readonly local = new EventEmitter().setMaxListeners(0);
  private readonly watchers = new Map<string, number>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    subscriber.on("message", (channel: string, message: string) => {
      try {
        this.local.emit(channel, JSON.parse(message) as TicketStatusChange[]);
      } catch {
        // A malformed message is dropped; watchers converge on their next snapshot.
      }
    });
  }

  async publish(eventId: string, changes: readonly TicketStatusChange[]): Promise<void> {
    if (changes.length > 0) await this.publisher.publish(ticketStatusChannel(eventId), JSON.stringify(changes));
  }

  async subscribe(eventId: string, listener: (changes: TicketStatusChange[]) => void) {
    const channel = ticketStatusChannel(eventId);
    this.local.on(channel, listener);
    const count = (this.watchers.get(channel) ?? 0) + 1;
    this.watchers.set(channel, count);
    if (count === 1) await this.subscriber.subscribe(channel);
    return async () => {
      this.local.off(channel, listener);
      const left = (this.watchers.get(channel) ?? 1) - 1;
      if (left > 0) {
        this.watchers.set(channel, left);
      } else {
        this.watchers.delete(channel);
        await this.subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }
}
