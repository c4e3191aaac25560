import { execFile } from "node:child_process";
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const scratch: string[] = [];

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Outcome {
  code: number;
  output: string;
}

const outcome = (command: string, args: string[], cwd: string): Promise<Outcome> =>
  run(command, args, { cwd }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );

/**
 * A checkout as `npm start` sees it on a machine with only Node.js: the contracts, gen/ with its
 * record (written here, so the tree is consistent whatever the shared checkout holds right now),
 * package.json's scripts and node_modules, and no Maven needed.
 */
async function checkout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "boxoffice-genfresh-"));
  scratch.push(dir);
  for (const path of ["proto", "gen", "buf.gen.yaml", "package.json", "scripts/proto/gen-digest.mjs", "scripts/openapi", "services/edge/gate/access-policy.ts"]) {
    await mkdir(resolve(dir, path, ".."), { recursive: true });
    await cp(join(root, path), join(dir, path), { recursive: true });
  }
  await symlink(join(root, "node_modules"), join(dir, "node_modules"));
  await run("node", ["scripts/proto/gen-digest.mjs", "write"], { cwd: dir });
  return dir;
}

describe("npm run build refuses a gen/ that does not match the contracts", () => {
  it("the committed gen/ passes the check the build runs first", async () => {
    expect(await outcome("node", ["scripts/proto/gen-digest.mjs", "check"], root)).toEqual({ code: 0, output: "gen/ matches the contracts\n" });
  });

  it("fails the build, before compiling, when a .proto changed since gen/ was generated", async () => {
    const dir = await checkout();
    await appendFile(join(dir, "proto/boxoffice/common/v1/money.proto"), "\n// a contract change not yet generated\n");
    const build = await outcome("npm", ["run", "build"], dir);
    expect(build.code).not.toBe(0);
    expect(build.output).toContain("gen/ is stale: proto/, buf.gen.yaml, the health protos or the OpenAPI generator");
    expect(build.output).toContain("changed since it was generated");
    expect(build.output).toContain("Run npm run generate");
    expect(await readdir(dir)).not.toContain("dist");
  });

  it.each([
    ["buf.gen.yaml changed", (dir: string) => appendFile(join(dir, "buf.gen.yaml"), "# another option\n"), "changed since it was generated"],
    [
      "the OpenAPI generator's REST table changed",
      (dir: string) => appendFile(join(dir, "scripts/openapi/rest-operations.ts"), "\n// another path\n"),
      "changed since it was generated",
    ],
    ["the access policy the OpenAPI document follows changed", (dir: string) => appendFile(join(dir, "services/edge/gate/access-policy.ts"), "\n// another rule\n"), "changed since it was generated"],
    [
      "the OpenAPI document was edited by hand",
      (dir: string) => appendFile(join(dir, "gen/openapi/boxoffice.openapi.json"), " "),
      "its files differ from what npm run generate wrote",
    ],
    [
      "a generated file was edited by hand",
      (dir: string) => appendFile(join(dir, "gen/boxoffice/common/v1/money_pb.ts"), "\nexport const handEdit = 1;\n"),
      "its files differ from what npm run generate wrote",
    ],
    ["gen/ has no record of what it was generated from", (dir: string) => rm(join(dir, "gen/generated-from.json")), "gen/generated-from.json is missing"],
  ])("fails when %s", async (_case, change, reason) => {
    const dir = await checkout();
    await change(dir);
    const check = await outcome("node", ["scripts/proto/gen-digest.mjs", "check"], dir);
    expect(check.code).toBe(1);
    expect(check.output).toContain(reason);
  });

  it("passes an untouched checkout", async () => {
    const dir = await checkout();
    expect(await outcome("node", ["scripts/proto/gen-digest.mjs", "check"], dir)).toEqual({ code: 0, output: "gen/ matches the contracts\n" });
  });
});
