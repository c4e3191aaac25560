import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/**
 * Runs once before any suite: the plain gRPC clients (@grpc/grpc-js) and the contract checks
 * load buf/validate/validate.proto, which a fresh clone only has after scripts/proto/deps.sh
 * fetched it. Doing it here, once, keeps parallel suites from racing to fetch it.
 */
export default function setup(): void {
  const root = resolve(import.meta.dirname, "../..");
  try {
    execFileSync("bash", ["scripts/proto/deps.sh"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    // Without Maven the suites that need the file say so themselves (and fail under CI=true).
    console.warn(`[setup] could not fetch buf/validate/validate.proto: ${(error as Error).message.split("\n")[0]}`);
  }
}
