import { z } from "zod";
import type { JWK } from "jose";

const jsonOf = <T>(what: string, check: (value: unknown) => value is T) =>
  z.string().transform((text, context) => {
    try {
      const value: unknown = JSON.parse(text);
      if (check(value)) return value;
    } catch {
      // reported below, naming the variable
    }
    context.addIssue({ code: "custom", message: `must be ${what} as JSON` });
    return z.NEVER;
  });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isJwk = (value: unknown): value is JWK => isObject(value) && typeof value.kty === "string";
const isJwkList = (value: unknown): value is JWK[] => Array.isArray(value) && value.every(isJwk);
const isJwks = (value: unknown): value is { keys: JWK[] } => isObject(value) && isJwkList(value.keys);

/** A private JWK (ES256, with kid), as `scripts/queue/admission-key.ts` prints one. */
export const privateJwkJson = jsonOf("a private JWK such as {\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":…,\"d\":…}", isJwk).refine(
  (jwk) => typeof jwk.kid === "string" && typeof (jwk as { d?: unknown }).d === "string",
  "the signing JWK needs a kid and its private part (d)",
);
/** Public JWKs still accepted after a rotation: a JSON list. */
export const jwkListJson = jsonOf("a list of public JWKs", isJwkList);
/** A JWK set, {"keys": [...]}. */
export const jwksJson = jsonOf("a JWK set {\"keys\": [...]}", isJwks);

/** An empty value (a ConfigMap's `QUEUE_JWKS=`) is no value. */
const emptyIsUnset = <T extends z.ZodType>(field: T) => z.preprocess((value) => (value === "" ? undefined : value), field.optional());

/** Where booking finds the queue's public keys to check admissions locally. */
export const admissionVerifyFields = {
  /** The queue's JWKS (its admin port's /.well-known/jwks.json), cached and refetched on an unknown kid. */
  QUEUE_JWKS_URL: emptyIsUnset(z.string().url()),
  /** Or the public keys themselves, which win over the URL. */
  QUEUE_JWKS: emptyIsUnset(jwksJson),
};
