import { DomainError } from "../errors/domain-error.js";

/** The caller went away (it cancelled, or its own deadline passed): the work stopped with it. */
export const callerLeft = () =>
  new DomainError("cancelled", "The request was cancelled by its caller, and the work behind it was stopped.", { reason: "cancelled" });

/** The promise, or callerLeft() as soon as the signal aborts (the work itself is not stopped by this). */
export function untilCallerLeaves<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(callerLeft());
  }
  return new Promise<T>((resolve, reject) => {
    const leave = () => {
      work.catch(() => undefined);
      reject(callerLeft());
    };
    signal.addEventListener("abort", leave, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", leave);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", leave);
        reject(error);
      },
    );
  });
}
