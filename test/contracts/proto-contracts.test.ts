import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
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
  const breaking = (...args: string[]) => run("bash", ["scripts/proto/breaking.sh", ...args], { cwd: root });

  /** A copy of proto/ with one edit applied, as a contributor's change would be. */
  async function editedCopy(edit: (catalogProto: string) => string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "boxoffice-proto-"));
    scratch.push(dir);
    await cp(join(root, "proto"), dir, { recursive: true });
    const file = join(dir, "boxoffice/catalog/v1/catalog.proto");
    await writeFile(file, edit(await readFile(file, "utf8")));
    return dir;
  }

  it("keeps the released contracts (the committed baseline image) and the previous commit's working", async () => {
    const { stdout } = await breaking();
    expect(stdout).toContain("compatible with the released contracts (proto/breaking-baseline.binpb)");
    expect(stdout).toMatch(/compatible with HEAD~1|HEAD~1 is not in this clone's history/);
  });

  it("still compares against the baseline when the clone has no previous commit", async () => {
    const { stdout } = await breaking("--against-git", "0000000000000000000000000000000000000000");
    expect(stdout).toContain("compatible with the released contracts");
    expect(stdout).toContain("checked against the baseline only");
  });

  it("accepts an unchanged copy of the contracts", async () => {
    const copy = await editedCopy((proto) => proto);
    const { stdout } = await breaking("--input", copy);
    expect(stdout).toContain(`${copy} is compatible with the released contracts`);
  });

  it("fails when a change deletes an RPC clients call", async () => {
    const copy = await editedCopy((proto) => proto.replace("rpc GetEvent(", "rpc FetchEvent("));
    const failure = await breaking("--input", copy).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stdout).toContain('Previously present RPC "GetEvent" on service "CatalogService" was deleted');
  });
});
