import { DomainError } from "../../shared/errors/domain-error.js";
import type { SaleEvent } from "./booking-types.js";

/** Checks a signed admission against the caller and the event, throwing permission_denied with the reason. */
export type AdmissionCheck = (token: string, expected: { userId: string; eventId: string }) => Promise<void>;

/** Without the queue's keys no admission can be checked: high-demand events refuse rather than sell past their queue. */
export const noAdmissionKeys: AdmissionCheck = async () => {
  throw new DomainError(
    "unavailable",
    "this event sells only through its waiting room, and admissions cannot be checked right now (booking has no QUEUE_JWKS_URL): try again later",
    { reason: "admission_unverifiable" },
  );
};

/**
 * High-demand events sell only to buyers the waiting room admitted: reserve and confirm each
 * check the signed admission locally (no call to the queue). Other events sell as before.
 */
export function createAdmissionGate(check: AdmissionCheck = noAdmissionKeys) {
  return async (userId: string, event: SaleEvent, token: string | undefined): Promise<void> => {
    if (!event.highDemand) return;
    await check(token ?? "", { userId, eventId: event.id });
  };
}

export type AdmissionGate = ReturnType<typeof createAdmissionGate>;
