// npm run fuzz:api — Schemathesis against the embedded default, longer than CI's run:
//   FUZZ_EXAMPLES  test cases per operation and phase (default 100; CI runs 10)
//   FUZZ_SEED      repeat a run exactly
// Installs Schemathesis first when missing (scripts/fuzz/install-tools.sh). Its report, its
// crash files (`schemathesis replay <id>` in that folder) and Hypothesis's store of failing
// examples, replayed first next time, stay in .services/fuzz.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFuzzDocument } from "./fuzz-examples.js";
import { startFuzzTarget } from "./fuzz-target.js";
import { runSchemathesis } from "./schemathesis.js";

const root = resolve(import.meta.dirname, "../..");
const workDir = join(root, ".services", "fuzz");
mkdirSync(workDir, { recursive: true });
execFileSync("bash", [join(root, "scripts/fuzz/install-tools.sh")], { stdio: ["ignore", "ignore", "inherit"] });

const target = await startFuzzTarget(join(workDir, "platform.log"));
console.log(`fuzzing the embedded platform at ${target.baseUrl}`);
try {
  const outcome = await runSchemathesis({
    ...target,
    document: await writeFuzzDocument(target.baseUrl, target.data, workDir),
    maxExamples: Number(process.env.FUZZ_EXAMPLES ?? 100),
    seed: process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED),
    workDir,
    database: join(workDir, "examples.db"),
    continueOnFailure: true,
    onLine: (line) => console.log(line),
  });
  process.exitCode = outcome.exitCode;
} finally {
  await target.close();
}
