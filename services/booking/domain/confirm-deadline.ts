import { DomainError } from "../../shared/errors/domain-error.js";

/**
 * How long one confirm may run, and whether its caller still waits. Confirm checks it before it
 * asks for money and before it commits, and races the provider call against it: an abandoned
 * confirm stops there, with nothing charged (an authorization already taken is voided). The
 * deadline is shorter than the recovery grace (config.ts), so recovery never settles a payment
 * whose confirm is still running.
 */
export interface ConfirmDeadline {
  signal: AbortSignal;
  /** The confirm is over: its timer and its hold on the caller's signal go. */
  release(): void;
  /** Why it stopped, as the buyer reads it and the ledger records it. */
  reason(): "deadline_passed" | "cancelled";
  error(): DomainError;
}

export function confirmDeadline(deadlineMs: number, callerSignal?: AbortSignal): ConfirmDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, deadlineMs);
  const callerLeft = () => controller.abort();
  if (callerSignal?.aborted) controller.abort();
  else callerSignal?.addEventListener("abort", callerLeft, { once: true });
  // A caller's own gRPC deadline passing is a deadline too, not a change of mind.
  const callerCancelled = () => callerSignal?.aborted === true && !/deadline/i.test(String((callerSignal.reason as Error | undefined)?.message ?? callerSignal.reason));
  const reason = () => (timedOut || !callerCancelled() ? "deadline_passed" : "cancelled");
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", callerLeft);
    },
    reason,
    error: () =>
      reason() === "cancelled"
        ? new DomainError("cancelled", "The confirmation was cancelled by the caller before any seat was booked: you have not been charged.", {
            reason: "cancelled",
          })
        : new DomainError(
            "deadline_exceeded",
            `The confirmation did not finish within ${deadlineMs} ms and was stopped before any seat was booked: you have not been charged. Try again with a new idempotency key.`,
            { reason: "deadline_passed" },
          ),
  };
}

/** The promise, or the deadline's error once its signal aborts first. */
export function beforeDeadline<T>(deadline: ConfirmDeadline, work: Promise<T>): Promise<T> {
  if (deadline.signal.aborted) return Promise.reject(deadline.error());
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(deadline.error());
    deadline.signal.addEventListener("abort", stop, { once: true });
    work.then(
      (value) => {
        deadline.signal.removeEventListener("abort", stop);
        resolve(value);
      },
      (error: unknown) => {
        deadline.signal.removeEventListener("abort", stop);
        reject(error);
      },
    );
  });
}
