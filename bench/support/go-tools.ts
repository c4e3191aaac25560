import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where scripts/bench/install-tools.sh builds a Go tool (ghz, grpcurl), or the tool on PATH. */
export function goToolBinary(name: string): string | undefined {
  const cache = process.env.BOXOFFICE_BENCH_TOOLS ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "boxoffice/bench-tools");
  const candidates = [join(cache, "bin", name), join(process.env.GOPATH ?? join(homedir(), "go"), "bin", name)];
  for (const path of (process.env.PATH ?? "").split(":")) candidates.push(join(path, name));
  return candidates.find((candidate) => existsSync(candidate));
}
