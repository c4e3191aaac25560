import { createAdmissionVerifier, type AdmissionVerifier } from "../shared/admission/admission-verifier.js";
import type { Logger } from "../shared/logging/logger.js";
import type { BookingConfig } from "./config.js";

/** The queue's keys from QUEUE_JWKS (inline) or QUEUE_JWKS_URL; neither leaves high-demand events refusing every buyer. */
export function admissionCheck(config: Pick<BookingConfig, "QUEUE_JWKS" | "QUEUE_JWKS_URL">, logger: Logger): AdmissionVerifier | undefined {
  if (config.QUEUE_JWKS) return createAdmissionVerifier({ jwks: config.QUEUE_JWKS });
  if (config.QUEUE_JWKS_URL) return createAdmissionVerifier({ jwksUrl: config.QUEUE_JWKS_URL });
  logger.warn("neither QUEUE_JWKS nor QUEUE_JWKS_URL is set: high-demand events refuse every reserve and confirm until booking can check admissions");
  return undefined;
}
