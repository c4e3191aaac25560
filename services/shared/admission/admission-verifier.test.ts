import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createAdmissionSigner } from "../../queue/adapters/tokens/admission-signer.js";
import { generateAdmissionSigningKey, loadAdmissionSigningKey } from "./admission-keys.js";
import { createAdmissionVerifier } from "./admission-verifier.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** A JWKS endpoint whose document the test swaps, as the queue's admin port serves it. */
async function jwksServer(initial: object) {
  let document = initial;
  const server = createServer((_request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`, serve: (next: object) => (document = next) };
}

const admission = (userId: string, eventId: string) => ({ userId, eventId, admittedAtMs: Date.now(), expiresAtMs: Date.now() + 600_000 });

describe("admission keys from the queue's JWKS URL", () => {
  it("follows a rotation: the new key's tokens pass once published, the old key's while it is still published", async () => {
    const old = await generateAdmissionSigningKey("2030-01");
    const endpoint = await jwksServer(old.key.jwks);
    const verify = createAdmissionVerifier({ jwksUrl: endpoint.url, cooldownMs: 0 });
    await expect(verify(await createAdmissionSigner(old.key)(admission("ann", "e1")), { userId: "ann", eventId: "e1" })).resolves.toBeUndefined();

    const next = await generateAdmissionSigningKey("2030-02");
    const rotated = await loadAdmissionSigningKey(next.privateJwk, old.key.jwks.keys);
    endpoint.serve(rotated.jwks);
    await expect(verify(await createAdmissionSigner(rotated)(admission("ben", "e1")), { userId: "ben", eventId: "e1" })).resolves.toBeUndefined();
    await expect(verify(await createAdmissionSigner(old.key)(admission("cat", "e1")), { userId: "cat", eventId: "e1" })).resolves.toBeUndefined();

    endpoint.serve(next.key.jwks);
    const retired = createAdmissionVerifier({ jwksUrl: endpoint.url, cooldownMs: 0 });
    await expect(retired(await createAdmissionSigner(old.key)(admission("dan", "e1")), { userId: "dan", eventId: "e1" })).rejects.toMatchObject({
      kind: "permission_denied",
      details: { reason: "admission_invalid" },
    });
  });

  it("says admissions cannot be checked, not that the token is forged, when the keys cannot be fetched", async () => {
    const { key } = await generateAdmissionSigningKey("2030-01");
    const verify = createAdmissionVerifier({ jwksUrl: "http://127.0.0.1:9/.well-known/jwks.json" });
    await expect(verify(await createAdmissionSigner(key)(admission("ann", "e1")), { userId: "ann", eventId: "e1" })).rejects.toMatchObject({
      kind: "unavailable",
      details: { reason: "admission_unverifiable" },
    });
  });

  it("publishes no private part of any key", async () => {
    const { privateJwk } = await generateAdmissionSigningKey("2030-01");
    const published = (await loadAdmissionSigningKey(privateJwk, [privateJwk])).jwks.keys;
    expect(published).toHaveLength(2);
    for (const jwk of published) expect(jwk).not.toHaveProperty("d");
  });
});
