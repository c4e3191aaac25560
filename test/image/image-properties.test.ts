import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { IMAGE, imageRequirement, nodeInImage, podman } from "./podman.js";

// What the Dockerfile promises of the image, checked on the image itself (docs/deploy.md, "The
// image"): an unprivileged user, files the process cannot change, production dependencies only,
// no shell or package manager, and a size that keeps pulls quick during an on-sale's scale-up.

const ready = requireService(...imageRequirement());

const SIZE_TARGET_BYTES = 250_000_000;
/** How the manifests run it (deploy/k8s/base/patches/hardened-pods.yaml), minus the user: the image's own. */
const HARDENED = ["--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,mode=1777", "--cap-drop", "ALL"];

/** Tries to write each path; prints `path code` (OK when it could). */
const WRITE_EACH = (paths: string[]) => `
  const fs = require("node:fs");
  for (const path of ${JSON.stringify(paths)}) {
    try { fs.writeFileSync(path, "x"); console.log(path, "OK"); } catch (error) { console.log(path, error.code); }
  }`;

/** Every installed package directory under /app, as package-lock.json keys it (node_modules/a/node_modules/b). */
const LIST_PACKAGES = `
  const fs = require("node:fs"), path = require("node:path");
  const found = [];
  const walk = (dir, key) => {
    for (const entry of fs.readdirSync(dir)) {
      if (entry.startsWith(".")) continue;
      if (entry.startsWith("@")) { for (const scoped of fs.readdirSync(path.join(dir, entry))) visit(path.join(dir, entry, scoped), key + entry + "/" + scoped); }
      else visit(path.join(dir, entry), key + entry);
    }
  };
  const visit = (dir, key) => {
    found.push(key);
    if (fs.existsSync(path.join(dir, "node_modules"))) walk(path.join(dir, "node_modules"), key + "/node_modules/");
  };
  walk("/app/node_modules", "node_modules/");
  console.log(JSON.stringify(found));`;

describe.skipIf(!ready)(`the image ${IMAGE}`, () => {
  it("runs as the unprivileged user 65532, never root", async () => {
    expect((await podman("image", "inspect", "--format", "{{.Config.User}}", IMAGE)).trim()).toBe("65532:65532");
    expect((await nodeInImage("console.log(process.getuid(), process.getgid())")).trim()).toBe("65532 65532");
  });

  // The services themselves run read-only in test/image/platform-in-containers.test.ts.
  it("runs on a read-only root filesystem, and its files are root's, read-only to the process even without that", async () => {
    const paths = ["/app/dist/services/edge/main.js", "/app/node_modules/fastify/fastify.js", "/app/new-file", "/tmp/scratch"];
    const readOnly = (await nodeInImage(WRITE_EACH(paths), HARDENED)).trim().split("\n");
    expect(readOnly).toEqual(["/app/dist/services/edge/main.js EROFS", "/app/node_modules/fastify/fastify.js EROFS", "/app/new-file EROFS", "/tmp/scratch OK"]);
    const writable = (await nodeInImage(WRITE_EACH(paths))).trim().split("\n");
    expect(writable.slice(0, 3)).toEqual(["/app/dist/services/edge/main.js EACCES", "/app/node_modules/fastify/fastify.js EACCES", "/app/new-file EACCES"]);
  });

  it("holds production dependencies only, each as package-lock.json has it", async () => {
    const lock = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const installed = JSON.parse(await nodeInImage(LIST_PACKAGES)) as string[];
    expect(installed.length).toBeGreaterThan(50);
    expect(installed.filter((key) => !(key in lock.packages)), "not in the lockfile").toEqual([]);
    expect(installed.filter((key) => lock.packages[key]!.dev), "development dependencies").toEqual([]);
    for (const tool of ["typescript", "vitest", "vite", "tsx", "patch-package", "@bufbuild/buf"]) expect(installed).not.toContain(`node_modules/${tool}`);
  });

  it("has no shell and no package manager", async () => {
    const present = JSON.parse(await nodeInImage(`console.log(JSON.stringify(["/bin/sh", "/bin/bash", "/usr/bin/apt-get", "/usr/bin/dpkg", "/usr/local/bin/npm"].filter((p) => require("node:fs").existsSync(p))))`));
    expect(present).toEqual([]);
  });

  it(`is under ${SIZE_TARGET_BYTES / 1_000_000} MB`, async () => {
    const size = Number((await podman("image", "inspect", "--format", "{{.Size}}", IMAGE)).trim());
    console.log(`[image] ${IMAGE}: ${(size / 1_000_000).toFixed(1)} MB (target under ${SIZE_TARGET_BYTES / 1_000_000} MB)`);
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(SIZE_TARGET_BYTES);
  });
});
