/**
 * What an admission token says, shared by the queue that signs it and booking that checks it.
 * `sub` is the admitted user; the event travels in its own claim so a token for one event
 * never passes for another.
 */
export const ADMISSION_ISSUER = "boxoffice-queue";
export const ADMISSION_AUDIENCE = "boxoffice-booking";
export const ADMISSION_EVENT_CLAIM = "evt";
/** Asymmetric: booking holds only public keys, so no booking replica can mint admissions. */
export const ADMISSION_ALGORITHM = "ES256";
