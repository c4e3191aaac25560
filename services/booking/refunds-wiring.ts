import { catalogEventViews } from "./adapters/cache/catalog-event-views.js";
import { createPostgresCancellations } from "./adapters/postgres/postgres-cancellations.js";
import type { BookingAdapters } from "./booking-service.js";
import { createCancellations } from "./domain/cancellations.js";
import { createRefundJob } from "./domain/refund-job.js";

/** The admin's cancellations and the refund job behind them, on booking's database and provider. */
export function createRefunds(adapters: Pick<BookingAdapters, "db" | "payments" | "bus" | "faults" | "recovery" | "metrics" | "catalogCache">) {
  const store = createPostgresCancellations(adapters.db);
  const job = createRefundJob({
    store,
    payments: adapters.payments,
    faults: adapters.faults,
    // The worker leaves a refund alone as long as recovery leaves a payment: a live call may own it.
    graceMs: adapters.recovery.graceMs,
    onSettled: adapters.metrics ? (outcome) => adapters.metrics!.refundSettled(outcome) : undefined,
  });
  const eventViews = adapters.catalogCache ? catalogEventViews(adapters.catalogCache) : undefined;
  return { job, cancellations: createCancellations({ store, refunds: job, publisher: adapters.bus, eventViews }) };
}
