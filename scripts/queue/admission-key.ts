// Prints a fresh ES256 admission signing key as shell exports: the queue's private JWK and the
// public JWKS booking verifies with. To rotate, start the queue with the new QUEUE_SIGNING_JWK
// and the old public key in QUEUE_PREVIOUS_JWKS until the last old token has expired.
//   eval "$(node --import tsx scripts/queue/admission-key.ts [kid])"
import { generateAdmissionSigningKey } from "../../services/shared/admission/admission-keys.js";

const kid = process.argv[2] ?? `admission-${new Date().toISOString().slice(0, 10)}`;
const { key, privateJwk } = await generateAdmissionSigningKey(kid);
const quoted = (value: unknown) => `'${JSON.stringify(value)}'`;
console.log(`export QUEUE_SIGNING_JWK=${quoted(privateJwk)}`);
console.log(`export QUEUE_JWKS=${quoted(key.jwks)}`);
