export interface FanoutOptions<M> {
  /**
   * The whole state as one message, as it stands after every message published so far: what a
   * watcher gets first, and instead of the messages it missed when it fell too far behind.
   * Called at most once per published message, however many watchers ask.
   */
  snapshot(): M;
  /** How many messages a watcher may fall behind before it is given a fresh snapshot instead of them. */
  maxLag: number;
  /** Watchers woken per turn of the event loop, so a change sent to thousands never blocks it. */
  wakePerTurn?: number;
}

interface Watcher {
  wake: (() => void) | undefined;
  ended: boolean;
  error: unknown;
}

const DEFAULT_WAKE_PER_TURN = 200;

/**
 * One stream of messages read by many watchers, each at its own pace, sharing every message
 * object (and so whatever is cached per object, such as its encoding). Nothing is queued per
 * watcher: the last maxLag messages are kept once, and a watcher whose cursor has fallen out of
 * them gets one snapshot of the state now, the bounded way for a slow reader to catch up.
 * Readers pull: a watcher's next message is taken only when its consumer asks for it, which a
 * stream writer does once the previous write drained (HTTP/2 and socket backpressure).
 */
export class MessageFanout<M> {
  private log: M[] = [];
  /** Sequence number of log[0]; the next message published gets `head`. */
  private first = 0;
  private head = 0;
  private cached: { at: number; message: M } | undefined;
  private readonly watchers = new Set<Watcher>();
  /** Watchers that have read everything and wait for the next message. */
  private readonly waiting = new Set<Watcher>();
  /** Watchers a message arrived for, woken a few hundred per turn. */
  private toWake: Watcher[] = [];
  private waking = false;
  private closed: { error: unknown } | undefined;
  /** How often a watcher was given a snapshot because it fell behind. */
  resyncs = 0;

  constructor(private readonly options: FanoutOptions<M>) {}

  get size(): number {
    return this.watchers.size;
  }

  publish(message: M): void {
    this.log.push(message);
    this.head += 1;
    if (this.log.length > this.options.maxLag) {
      this.log.shift();
      this.first += 1;
    }
    for (const watcher of this.waiting) this.toWake.push(watcher);
    this.waiting.clear();
    this.scheduleWake();
  }

  /** The snapshot now, built once per state. */
  snapshot(): M {
    if (this.cached?.at !== this.head) this.cached = { at: this.head, message: this.options.snapshot() };
    return this.cached.message;
  }

  /** The snapshot, then every message after it, until the signal aborts or the fanout closes. */
  async *subscribe(signal?: AbortSignal): AsyncGenerator<M, void, undefined> {
    const watcher: Watcher = { wake: undefined, ended: false, error: undefined };
    const end = () => this.end(watcher, undefined);
    if (this.closed) this.end(watcher, this.closed.error);
    this.watchers.add(watcher);
    signal?.addEventListener("abort", end);
    if (signal?.aborted) end();
    try {
      let cursor = this.head;
      if (!watcher.ended) yield this.snapshot();
      while (!watcher.ended) {
        if (cursor === this.head) {
          await new Promise<void>((resolve) => {
            watcher.wake = resolve;
            this.waiting.add(watcher);
          });
          continue;
        }
        if (cursor < this.first) {
          this.resyncs += 1;
          cursor = this.head;
          yield this.snapshot();
          continue;
        }
        const message = this.log[cursor - this.first]!;
        cursor += 1;
        yield message;
      }
      if (watcher.error !== undefined) throw watcher.error;
    } finally {
      signal?.removeEventListener("abort", end);
      this.watchers.delete(watcher);
      this.waiting.delete(watcher);
    }
  }

  /** Ends every watcher: normally, or with the error each one's stream then throws. */
  close(error?: unknown): void {
    this.closed = { error };
    for (const watcher of this.watchers) this.end(watcher, error);
  }

  private end(watcher: Watcher, error: unknown): void {
    if (watcher.ended) return;
    watcher.ended = true;
    watcher.error = error;
    this.waiting.delete(watcher);
    const wake = watcher.wake;
    watcher.wake = undefined;
    wake?.();
  }

  private scheduleWake(): void {
    if (this.waking || this.toWake.length === 0) return;
    this.waking = true;
    setImmediate(() => this.wakeSome());
  }

  /**
   * Each woken watcher's consumer encodes and writes in the same turn: a few hundred a turn keep
   * the event loop's other work (health checks, new calls) waiting milliseconds, not seconds.
   */
  private wakeSome(): void {
    const batch = this.toWake.splice(0, this.options.wakePerTurn ?? DEFAULT_WAKE_PER_TURN);
    for (const watcher of batch) {
      const wake = watcher.wake;
      watcher.wake = undefined;
      wake?.();
    }
    this.waking = false;
    this.scheduleWake();
  }
}
