import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { REPO_ROOT } from "./web-app-fixture.js";

const run = promisify(execFile);

// The web app has its own tsconfig (DOM types, bundler resolution), outside the root type-check;
// Vite strips types without checking them, so this is where strict mode is enforced for it.
it("the web app and its Vite config type-check under strict TypeScript", async () => {
  for (const project of ["web/tsconfig.json", "web/tsconfig.node.json"]) {
    const result = await run("npx", ["tsc", "-p", project, "--noEmit"], { cwd: REPO_ROOT }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(result.stdout, project).toBe("");
  }
});
