import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWK, type JWTVerifyGetKey } from "jose";
import { DomainError } from "../errors/domain-error.js";
import { ADMISSION_ALGORITHM, ADMISSION_AUDIENCE, ADMISSION_EVENT_CLAIM, ADMISSION_ISSUER } from "./admission-claims.js";

/** Throws permission_denied, with what the buyer can do about it, unless the token admits this user to this event. */
export type AdmissionVerifier = (token: string, expected: { userId: string; eventId: string }) => Promise<void>;

/** `cooldownMs`: how soon after a fetch a token with an unknown kid may fetch the JWKS again (jose's default, 30 s). */
export type AdmissionKeySource = { jwksUrl: string; cooldownMs?: number } | { jwks: { keys: JWK[] } } | { getKey: JWTVerifyGetKey };

const denied = (message: string, reason: string) => new DomainError("permission_denied", message, { reason });

/**
 * Checks admissions locally with the queue's public keys (inline, or fetched from its JWKS URL
 * and cached by jose, refetched when a token names a kid it has not seen: a rotation), so a
 * reserve never waits on the queue.
 */
export function createAdmissionVerifier(source: AdmissionKeySource, now: () => Date = () => new Date()): AdmissionVerifier {
  const getKey: JWTVerifyGetKey =
    "getKey" in source ? source.getKey : "jwks" in source ? createLocalJWKSet(source.jwks) : createRemoteJWKSet(new URL(source.jwksUrl), { cooldownDuration: source.cooldownMs });
  return async (token, expected) => {
    if (!token) {
      throw denied(
        "this event sells through its waiting room: join its queue (QueueService.JoinQueue), and once admitted send the admission token with your reservation and confirmation",
        "admission_missing",
      );
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, getKey, { issuer: ADMISSION_ISSUER, audience: ADMISSION_AUDIENCE, algorithms: [ADMISSION_ALGORITHM], currentDate: now() }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw denied("your admission to this event has expired: join the event's queue again to be admitted anew", "admission_expired");
      }
      // The keys could not be had (the queue's JWKS unreachable or garbled): no fault of the buyer's token.
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
        throw new DomainError("unavailable", "admissions cannot be checked right now (the waiting room's keys could not be read): try again in a moment", {
          reason: "admission_unverifiable",
        });
      }
      throw denied("this admission token is not one the waiting room issued (altered or forged): join the event's queue to get a valid one", "admission_invalid");
    }
    if (payload.sub !== expected.userId) {
      throw denied("this admission token was issued to another account: join the event's queue signed in as yourself", "admission_other_user");
    }
    if (payload[ADMISSION_EVENT_CLAIM] !== expected.eventId) {
      throw denied("this admission token admits you to another event: join this event's queue to be admitted to it", "admission_other_event");
    }
  };
}
