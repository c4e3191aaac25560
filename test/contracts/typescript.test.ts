import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

// vitest strips types without checking them; this keeps `npm test` honest about strict mode.
it("the whole project type-checks under strict TypeScript", async () => {
  const result = await run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"], { cwd: resolve(import.meta.dirname, "../..") }).catch(
    (error: { stdout: string }) => ({ stdout: error.stdout }),
  );
  expect(result.stdout).toBe("");
});
