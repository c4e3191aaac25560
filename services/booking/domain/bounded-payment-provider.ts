import type { PaymentProvider } from "./payment-provider.js";

/** A provider call that got no answer in time: its outcome is unknown, as if the network had dropped it. */
export class PaymentProviderTimeoutError extends Error {
  override name = "PaymentProviderTimeoutError";
}

/**
 * Every call to the payment provider bounded by one timeout, whatever the adapter (the
 * simulator, Stripe with its own SDK timeout): an unanswered call fails like an unreachable
 * provider, which confirm and recovery already handle (every call is idempotent by key, so the
 * outcome is learned or undone later). The call itself is not cancelled, only no longer awaited.
 */
export function boundedPaymentProvider(provider: PaymentProvider, timeoutMs: number): PaymentProvider {
  const bounded =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      new Promise<R>((resolve, reject) => {
        const timer = setTimeout(() => reject(new PaymentProviderTimeoutError(`${provider.name} ${name} did not answer within ${timeoutMs} ms`)), timeoutMs);
        call.apply(provider, args).then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        );
      });
  return {
    name: provider.name,
    authorize: bounded("authorize", provider.authorize),
    capture: bounded("capture", provider.capture),
    void: bounded("void", provider.void),
    refund: bounded("refund", provider.refund),
    lookup: bounded("lookup", provider.lookup),
  };
}
