import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { ADMISSION_ALGORITHM } from "./admission-claims.js";

export interface AdmissionSigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** Every key booking should accept: the signing key's public half, then keys being rotated out. */
  jwks: { keys: JWK[] };
}

/**
 * The signing key from a private JWK (QUEUE_SIGNING_JWK), plus public JWKs still accepted
 * (QUEUE_PREVIOUS_JWKS) so that tokens signed before a rotation stay valid until they expire.
 */
export async function loadAdmissionSigningKey(privateJwk: JWK, previous: JWK[] = []): Promise<AdmissionSigningKey> {
  if (!privateJwk.kid) throw new Error("the admission signing JWK needs a kid, so booking can pick its key after a rotation");
  if (!privateJwk.d) throw new Error("the admission signing JWK is a public key: it needs its private part (d)");
  const privateKey = (await importJWK({ ...privateJwk, alg: ADMISSION_ALGORITHM }, ADMISSION_ALGORITHM)) as CryptoKey;
  const publicKeys = [privateJwk, ...previous].map((jwk) => ({ ...publicPart(jwk), alg: ADMISSION_ALGORITHM, use: "sig" }));
  return { kid: privateJwk.kid, privateKey, jwks: { keys: publicKeys } };
}

/** A fresh key pair: the embedded default and tests, where nothing outlives the process. */
export async function generateAdmissionSigningKey(kid = `admission-${Date.now()}`): Promise<{ key: AdmissionSigningKey; privateJwk: JWK }> {
  const { privateKey } = await generateKeyPair(ADMISSION_ALGORITHM, { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid };
  return { key: await loadAdmissionSigningKey(privateJwk), privateJwk };
}

/** A JWK without its private parameters, fit to publish. */
function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk as JWK & Record<"d" | "p" | "q" | "dp" | "dq" | "qi", unknown>;
  return rest;
}
