import { execFile, execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";

// podman as scripts/image/podman.sh runs it (the sandbox's containers.conf, cgroupfs, runc), so
// the suites start containers exactly as `npm run image` builds them.

const root = resolve(import.meta.dirname, "../..");
const WRAPPER = resolve(root, "scripts/image/podman.sh");
const run = promisify(execFile);

/** The image `npm run image` builds (BOXOFFICE_IMAGE moves both). */
export const IMAGE = process.env.BOXOFFICE_IMAGE ?? "localhost/boxoffice:dev";

const IMAGE_HOW = "build it with `npm run image`; .ci/run installs podman and builds it";

export async function podman(...args: string[]): Promise<string> {
  const { stdout } = await run("bash", [WRAPPER, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

const succeeds = (args: string[]) => {
  try {
    execFileSync("bash", [WRAPPER, ...args], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/** What the image suites need, for requireService: podman usable by this user, and the image built. */
export function imageRequirement(): [name: string, available: boolean, how: string] {
  if (!succeeds(["version"])) return ["podman", false, "as root: bash scripts/image/install-podman.sh, then `npm run image`"];
  return [`the image ${IMAGE}`, succeeds(["image", "exists", IMAGE]), IMAGE_HOW];
}

/** Runs `node -e script` in a throw-away container of the image and returns its stdout. */
export async function nodeInImage(script: string, runOptions: string[] = []): Promise<string> {
  return podman("run", "--rm", "--network", "host", ...runOptions, IMAGE, "-e", script);
}

export interface ContainerState {
  running: boolean;
  exitCode: number;
}

export async function containerState(name: string): Promise<ContainerState> {
  const [running, exitCode] = (await podman("inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", name)).trim().split(" ");
  return { running: running === "true", exitCode: Number(exitCode) };
}

export const containerLogs = async (name: string): Promise<string> => {
  const { stdout, stderr } = await run("bash", [WRAPPER, "logs", name], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return stdout + stderr;
};
