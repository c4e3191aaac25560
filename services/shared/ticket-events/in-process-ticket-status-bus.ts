import { EventEmitter } from "node:events";
import { ticketStatusChannel, type TicketStatusBus } from "./ticket-status-bus.js";

/** The embedded default: every watcher lives in this one process. */
export class InProcessTicketStatusBus implements TicketStatusBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(eventId: string, changes: Parameters<TicketStatusBus["publish"]>[1]): Promise<void> {
    if (changes.length > 0) this.emitter.emit(ticketStatusChannel(eventId), [...changes]);
  }

  async subscribe(eventId: string, listener: Parameters<TicketStatusBus["subscribe"]>[1]) {
    const channel = ticketStatusChannel(eventId);
    this.emitter.on(channel, listener);
    return async () => void this.emitter.off(channel, listener);
  }
}
