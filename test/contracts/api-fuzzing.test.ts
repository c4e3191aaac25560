import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFuzzDocument } from "../../scripts/fuzz/fuzz-examples.js";
import { startFuzzTarget, type FuzzTarget } from "../../scripts/fuzz/fuzz-target.js";
import { failureSummary, runSchemathesis, schemathesisBinary, schemathesisInstalled } from "../../scripts/fuzz/schemathesis.js";

// Schemathesis comes from PyPI into a cache outside the clone (scripts/fuzz/install-tools.sh,
// which .ci/run runs). Locally its absence skips this suite with one line; in CI it fails it.
function schemathesisPresent(): boolean {
  if (schemathesisInstalled()) return true;
  const why = `Schemathesis is not installed at ${schemathesisBinary()}: run bash scripts/fuzz/install-tools.sh`;
  if (process.env.CI === "true") throw new Error(`${why} (CI needs it)`);
  console.warn(`[skip] ${why}`);
  return false;
}

/** Test cases per operation and phase: small, so CI spends well under a minute here; npm run fuzz:api runs longer. */
const EXAMPLES = Number(process.env.FUZZ_CI_EXAMPLES ?? 10);
/** A fixed seed, so a red CI run is the same run again on a developer's machine. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

/** Schemathesis's report and crash files, and the platform's log of the run. */
const workDir = join(resolve(import.meta.dirname, "../.."), ".services", "fuzz-ci");

describe.skipIf(!schemathesisPresent())("Schemathesis against every operation of /openapi.json on the embedded default", () => {
  let target: FuzzTarget;

  beforeAll(async () => {
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    target = await startFuzzTarget(join(workDir, "platform.log"));
  });

  afterAll(async () => {
    await target?.close();
  });

  it(
    "finds no 5xx, no answer that breaks its schema and no status the operation does not list",
    async () => {
      const document = await writeFuzzDocument(target.baseUrl, target.data, workDir);
      const outcome = await runSchemathesis({ ...target, document, maxExamples: EXAMPLES, seed: SEED, workDir });
      expect(outcome.output).toMatch(/Operations:\s+\d+ selected \/ \d+ total/);
      expect(outcome.exitCode, `Schemathesis found (its report and the platform's log are in ${workDir}):\n${failureSummary(outcome.output)}`).toBe(0);
    },
    10 * 60_000,
  );
});
