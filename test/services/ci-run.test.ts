import { execFile } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "boxoffice-ci-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  lines: string[];
}

async function outcome(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<Outcome> {
  const result = await run(command, args, { cwd: root, ...options }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  return { code: result.code, lines: result.stdout.split("\n").filter(Boolean) };
}

type Assertion = { status: "passed" | "failed" | "pending" | "todo" };
type Suite = { name: string; status: "passed" | "failed"; message?: string; assertionResults: Assertion[] };

/** A vitest JSON report with vitest's own counts for the given suites. */
async function report(name: string, suites: Suite[]): Promise<string> {
  const all = suites.flatMap((suite) => suite.assertionResults);
  const count = (status: Assertion["status"]) => all.filter((test) => test.status === status).length;
  const file = join(scratch, `${name}.json`);
  await writeFile(
    file,
    JSON.stringify({
      numTotalTests: all.length,
      numPassedTests: count("passed"),
      numFailedTests: count("failed"),
      numPendingTests: count("pending"),
      numTodoTests: count("todo"),
      testResults: suites,
    }),
  );
  return file;
}

const summary = (file: string, testStatus = 0) => outcome("node", [".ci/vitest-summary.mjs", file, String(testStatus)]);
const tests = (...statuses: Assertion["status"][]) => statuses.map((status) => ({ status }));

describe(".ci/run's summary (.ci/vitest-summary.mjs)", () => {
  it("ends with the plain `N passed, N failed` line and succeeds when every test passed", async () => {
    const file = await report("green", [{ name: "a.test.ts", status: "passed", assertionResults: tests("passed", "passed", "passed") }]);
    expect(await summary(file)).toEqual({ code: 0, lines: ["3 passed, 0 failed"] });
  });

  it("prints skipped tests on an earlier line, never on the last", async () => {
    const file = await report("skips", [{ name: "a.test.ts", status: "passed", assertionResults: tests("passed", "pending", "todo") }]);
    expect(await summary(file)).toEqual({ code: 0, lines: ["ci: 2 skipped", "1 passed, 0 failed"] });
  });

  it("fails with the failed tests counted", async () => {
    const file = await report("red", [{ name: "a.test.ts", status: "failed", assertionResults: tests("passed", "failed") }]);
    expect(await summary(file, 1)).toEqual({ code: 1, lines: ["1 passed, 1 failed"] });
  });

  it("counts a suite that failed to load as a failure and names it", async () => {
    const file = await report("broken", [
      { name: "a.test.ts", status: "passed", assertionResults: tests("passed") },
      { name: "b.test.ts", status: "failed", message: "Cannot find module 'x'\n  at ...", assertionResults: [] },
    ]);
    const result = await summary(file, 1);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual(["ci: suite failed to load: b.test.ts (Cannot find module 'x')", "1 passed, 1 failed"]);
  });

  it("fails a run in which no test passed", async () => {
    const file = await report("empty", []);
    expect(await summary(file)).toEqual({ code: 1, lines: ["ci: no test passed", "0 passed, 0 failed"] });
  });

  it("fails when npm test failed though no test did (an unhandled error)", async () => {
    const file = await report("unhandled", [{ name: "a.test.ts", status: "passed", assertionResults: tests("passed") }]);
    const result = await summary(file, 1);
    expect(result.code).toBe(1);
    expect(result.lines.at(-1)).toBe("1 passed, 0 failed");
    expect(result.lines[0]).toMatch(/npm test exited 1 though no test failed/);
  });

  it("fails with a clear last line when the report is missing", async () => {
    const result = await summary(join(scratch, "absent.json"), 1);
    expect(result.code).toBe(2);
    expect(result.lines.at(-1)).toMatch(/^ci: vitest JSON report missing or unreadable/);
  });
});

describe(".ci/run when a phase fails before the tests", () => {
  it("names the phase on its last line and exits non-zero", async () => {
    // A copy of .ci/run in a bare tree whose npm fails: it stops in its first phase, long
    // before it would start or stop any service.
    const tree = join(scratch, "tree");
    await mkdir(join(tree, ".ci"), { recursive: true });
    await mkdir(join(tree, "scripts/services"), { recursive: true });
    await mkdir(join(tree, "bin"));
    await cp(join(root, ".ci/run"), join(tree, ".ci/run"));
    await cp(join(root, "scripts/services/lib.sh"), join(tree, "scripts/services/lib.sh"));
    await writeFile(join(tree, "bin/npm"), "#!/bin/sh\necho 'npm ERR! network unreachable' >&2\nexit 7\n");
    await chmod(join(tree, "bin/npm"), 0o755);
    const result = await outcome("bash", [join(tree, ".ci/run")], { env: { ...process.env, PATH: `${join(tree, "bin")}:${process.env.PATH}` } });
    expect(result.code).toBe(7);
    expect(result.lines.at(-1)).toBe('ci: FAILED in phase "install (npm ci)" (exit status 7); the tests did not run');
  });
});
