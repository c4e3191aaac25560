import { SignJWT } from "jose";
import { ADMISSION_ALGORITHM, ADMISSION_AUDIENCE, ADMISSION_EVENT_CLAIM, ADMISSION_ISSUER } from "../../../shared/admission/admission-claims.js";
import type { AdmissionSigningKey } from "../../../shared/admission/admission-keys.js";

export type AdmissionSigner = (admission: { userId: string; eventId: string; admittedAtMs: number; expiresAtMs: number }) => Promise<string>;

/** Signs admissions bound to one user and one event, valid until the admission expires. */
export function createAdmissionSigner(key: AdmissionSigningKey): AdmissionSigner {
  return (admission) =>
    new SignJWT({ [ADMISSION_EVENT_CLAIM]: admission.eventId })
      .setProtectedHeader({ alg: ADMISSION_ALGORITHM, kid: key.kid, typ: "JWT" })
      .setIssuer(ADMISSION_ISSUER)
      .setAudience(ADMISSION_AUDIENCE)
      .setSubject(admission.userId)
      .setIssuedAt(Math.floor(admission.admittedAtMs / 1000))
      .setExpirationTime(Math.floor(admission.expiresAtMs / 1000))
      .sign(key.privateKey);
}
