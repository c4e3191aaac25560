import type { Ticker } from "../domain/ticket-watch.js";

/**
 * Timers that never keep the process alive on their own, and never overlap: the next run is
 * scheduled only once the previous one has finished, however slow the stores are.
 */
export const intervalTicker: Ticker = {
  every(intervalMs, task) {
    let stopped = false;
    let timer: NodeJS.Timeout;
    const schedule = () => {
      timer = setTimeout(run, intervalMs);
      timer.unref();
    };
    const run = () => {
      task()
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) schedule();
        });
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
};
