import { callerLeft, untilCallerLeaves } from "./caller-left.js";

/**
 * One piece of work per key at a time, shared by every caller that asks for it meanwhile (a
 * burst of views of one event, one hot search), and stopped only when every one of them has
 * left: the work's signal aborts when the last caller still waiting cancels. A caller that
 * leaves gets callerLeft() at once; the others keep waiting for the answer. A caller without a
 * signal never leaves.
 */
export function sharedWork<K, T>() {
  const inFlight = new Map<K, { promise: Promise<T>; stop: AbortController; waiting: number }>();

  return function join(key: K, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(callerLeft());
    let entry = inFlight.get(key);
    if (!entry) {
      const stop = new AbortController();
      const created = { stop, waiting: 0, promise: undefined as unknown as Promise<T> };
      created.promise = Promise.resolve()
        .then(() => start(stop.signal))
        .finally(() => {
          if (inFlight.get(key) === created) inFlight.delete(key);
        });
      inFlight.set(key, created);
      entry = created;
    }
    const joined = entry;
    joined.waiting += 1;
    if (!signal) return joined.promise;
    const leave = () => {
      joined.waiting -= 1;
      if (joined.waiting === 0) {
        // Nobody waits for it any more: stop it, and let a new caller start afresh.
        if (inFlight.get(key) === joined) inFlight.delete(key);
        joined.stop.abort(callerLeft());
      }
    };
    signal.addEventListener("abort", leave, { once: true });
    const done = () => signal.removeEventListener("abort", leave);
    joined.promise.then(done, done);
    return untilCallerLeaves(joined.promise, signal);
  };
}
