import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const scratch: string[] = [];

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

// buf/validate/validate.proto comes from Maven Central at build time (scripts/proto/deps.sh).
const haveProtoDeps = requireService(
  "Maven (fetches buf/validate/validate.proto)",
  await run("mvn", ["-v"]).then(() => true, () => false),
);

describe.skipIf(!haveProtoDeps)("protobuf contracts", () => {
  it("pass buf lint (STANDARD) and buf format", async () => {
    await expect(run("bash", ["scripts/proto/lint.sh"], { cwd: root })).resolves.toBeDefined();
  });

  it("match the committed generated code in gen/ (regenerate with npm run generate)", async () => {
    const out = await mkdtemp(join(tmpdir(), "boxoffice-gen-"));
    scratch.push(out);
    await run("bash", ["scripts/proto/generate.sh", out], { cwd: root });
    const fresh = join(out, "gen");
    const committed = join(root, "gen");
    expect(await files(committed)).toEqual(await files(fresh));
    for (const file of await files(fresh)) {
      const [a, b] = await Promise.all([readFile(join(committed, file), "utf8"), readFile(join(fresh, file), "utf8")]);
      expect(a, `gen/${file} is stale: run npm run generate`).toBe(b);
    }
  });
});

describe.skipIf(!haveProtoDeps)("protobuf compatibility", () => {
  it("keeps the previous commit's contracts working (buf breaking, FILE rules)", async () => {
    const { stdout } = await run("bash", ["scripts/proto/breaking.sh", "HEAD~1"], { cwd: root });
    expect(stdout).not.toMatch(/error/i);
  });
});
