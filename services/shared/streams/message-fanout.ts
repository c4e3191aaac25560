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
  /**
   * New watchers handed their snapshot per turn of the event loop. A snapshot is the largest
   * write a stream makes (a 2,400-seat event's is ~100 kB): a burst of joiners is admitted a few
   * dozen a turn, so the turns between go to health checks and the streams already open.
   */
  admitPerTurn?: number;
  /**
   * Coalescing: waiting watchers are woken at most once per interval, and a watcher with several
   * messages to read gets them as one, from `merge` (built once per run of messages, shared).
   * Each message written costs every stream the same, whatever its size: on a hot on-sale, where
   * a seat changes many times a second, this bounds the writes per watcher and per second. A run
   * given to `merge` always ends at the newest message published.
   */
  coalesce?: { intervalMs: number; merge(messages: M[]): M };
}

interface Watcher {
  wake: (() => void) | undefined;
  ended: boolean;
  error: unknown;
  /** Ended by the source's normal end: reads what was published before it, then stops. */
  drain: boolean;
}

const DEFAULT_WAKE_PER_TURN = 200;
const DEFAULT_ADMIT_PER_TURN = 50;

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
  /** New watchers waiting for their snapshot, admitted a few dozen per turn, in the order they came. */
  private readonly toAdmit = new Set<Watcher>();
  private waking = false;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Merged runs of the log by their first and end sequence numbers, while the run is in the log. */
  private merged = new Map<string, M>();
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
      for (const key of this.merged.keys()) if (Number(key.split(":")[0]) < this.first) this.merged.delete(key);
    }
    const interval = this.options.coalesce?.intervalMs ?? 0;
    if (interval <= 0) return this.flush();
    // The first message of a window starts its timer: a change waits at most one interval.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, interval);
  }

  private flush(): void {
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
    const watcher: Watcher = { wake: undefined, ended: false, error: undefined, drain: false };
    const end = () => this.end(watcher, undefined);
    if (this.closed) this.end(watcher, this.closed.error);
    this.watchers.add(watcher);
    signal?.addEventListener("abort", end);
    if (signal?.aborted) end();
    try {
      if (!watcher.ended) {
        // Admitted a few dozen per turn (wakeSome), in the order they came.
        await new Promise<void>((resolve) => {
          watcher.wake = resolve;
          this.toAdmit.add(watcher);
          this.scheduleWake();
        });
      }
      // The snapshot is the state when this watcher's turn came: it reads on from there. A
      // source that ended normally meanwhile still leaves its last state to read.
      let cursor = this.head;
      if (!watcher.ended || watcher.drain) yield this.snapshot();
      for (;;) {
        if (cursor === this.head) {
          if (watcher.ended) break;
          await new Promise<void>((resolve) => {
            watcher.wake = resolve;
            this.waiting.add(watcher);
          });
          continue;
        }
        // The source ended normally (a coalescing window perhaps still open): what it published
        // is still read. A watcher that left, or a source that failed, reads nothing more.
        if (watcher.ended && !watcher.drain) break;
        if (cursor < this.first) {
          this.resyncs += 1;
          cursor = this.head;
          yield this.snapshot();
          continue;
        }
        const from = cursor;
        cursor = this.options.coalesce ? this.head : cursor + 1;
        yield this.run(from, cursor);
      }
      if (watcher.error !== undefined) throw watcher.error;
    } finally {
      signal?.removeEventListener("abort", end);
      this.watchers.delete(watcher);
      this.waiting.delete(watcher);
      this.toAdmit.delete(watcher);
    }
  }

  /** The messages from sequence number `from` up to `to` (exclusive) as one message. */
  private run(from: number, to: number): M {
    if (to - from === 1) return this.log[from - this.first]!;
    const key = `${from}:${to}`;
    let message = this.merged.get(key);
    if (!message) {
      message = this.options.coalesce!.merge(this.log.slice(from - this.first, to - this.first));
      this.merged.set(key, message);
    }
    return message;
  }

  /** Ends every watcher: normally, or with the error each one's stream then throws. */
  close(error?: unknown): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.closed = { error };
    for (const watcher of this.watchers) this.end(watcher, error, error === undefined);
  }

  private end(watcher: Watcher, error: unknown, drain = false): void {
    if (watcher.ended) return;
    watcher.ended = true;
    watcher.error = error;
    watcher.drain = drain;
    this.waiting.delete(watcher);
    this.toAdmit.delete(watcher);
    const wake = watcher.wake;
    watcher.wake = undefined;
    wake?.();
  }

  private scheduleWake(): void {
    if (this.waking || (this.toWake.length === 0 && this.toAdmit.size === 0)) return;
    this.waking = true;
    setImmediate(() => this.wakeSome());
  }

  /**
   * Each woken watcher's consumer writes in the same turn: a few hundred a turn (and a few dozen
   * new watchers' snapshots) keep the event loop's other work (health checks, new calls) waiting
   * milliseconds, not seconds.
   */
  private wakeSome(): void {
    const batch = this.toWake.splice(0, this.options.wakePerTurn ?? DEFAULT_WAKE_PER_TURN);
    let admit = this.options.admitPerTurn ?? DEFAULT_ADMIT_PER_TURN;
    for (const watcher of this.toAdmit) {
      if (admit-- <= 0) break;
      this.toAdmit.delete(watcher);
      batch.push(watcher);
    }
    for (const watcher of batch) {
      const wake = watcher.wake;
      watcher.wake = undefined;
      wake?.();
    }
    this.waking = false;
    this.scheduleWake();
  }
}
